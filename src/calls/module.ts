// Calls as the server sees them: WS methods, the `calls` part of the welcome snapshot,
// and a stop() that shuts the SFU workers down. The worker pool starts on the first
// call.join, so a server without a built worker still serves everything else (and
// answers call.join with `unavailable`). src/main.ts lists this module.
import type { Deps } from "../core/deps.ts";
import type { DomainModule } from "../core/module.ts";
import { Calls, type CallsOptions } from "./calls.ts";
import { callMethodDefs } from "./methods.ts";

export function callsModule(deps: Deps, opts: CallsOptions & { calls?: Calls } = {}): DomainModule {
  const calls = opts.calls ?? new Calls(deps, opts);
  return {
    name: "calls",
    methods: callMethodDefs(calls),
    snapshot: (userId) => calls.snapshot(userId),
    stop: () => calls.close(),
  };
}
