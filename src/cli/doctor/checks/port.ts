import { inUseText, listeners, portState } from "../../ports.ts";
import { type Check, type CheckResult, fail, ok, warn } from "../check.ts";

/** Every port serve would listen on: free is ok, Hearth holding it is a warning, anything else fails. */
export const portCheck: Check = async ({ config }) => {
  const results: CheckResult[] = [];
  for (const l of listeners(config)) {
    const state = await portState(l);
    const check = l.name === "server.port" ? "server port" : "tls port";
    if (state.kind === "free") results.push(ok(check, `${l.host}:${l.port} is free`));
    else if (state.kind === "hearth") results.push(warn(check, inUseText(l, state)));
    else results.push(fail(check, inUseText(l, state)));
  }
  return results.length ? results : [ok("server port", "0: a free port is picked at start")];
};
