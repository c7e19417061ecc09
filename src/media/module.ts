// Media as the server sees it: WS methods, the HTTP upload/serving routes, and the periodic
// GC (./gc.ts), started when the server listens (DomainModule.start) and stopped at
// shutdown. src/compose.ts lists the module.
import type { Deps } from "../core/deps.ts";
import type { DomainModule } from "../core/module.ts";
import { background } from "../core/background.ts";
import { startMediaGc } from "./gc.ts";
import { mediaMethodDefs } from "./methods.ts";
import { mediaRoutes } from "./routes.ts";

export function mediaModule(deps: Deps): DomainModule {
  return {
    name: "media",
    methods: mediaMethodDefs(deps),
    routes: (app) => app.use(mediaRoutes(deps)),
    ...background(() => startMediaGc(deps)),
  };
}
