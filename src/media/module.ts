// Media as the server sees it: WS methods and the HTTP upload/serving routes. The periodic
// GC (./gc.ts startMediaGc) is started by src/serve.ts once the server listens and stopped
// at shutdown. src/compose.ts lists the module.
import type { Deps } from "../core/deps.ts";
import type { DomainModule } from "../core/module.ts";
import { mediaMethodDefs } from "./methods.ts";
import { mediaRoutes } from "./routes.ts";

export function mediaModule(deps: Deps): DomainModule {
  return {
    name: "media",
    methods: mediaMethodDefs(deps),
    routes: (app) => app.use(mediaRoutes(deps)),
  };
}
