// Media as the server sees it: WS methods, the HTTP upload/serving routes, and the
// periodic GC (started with the module, stopped at shutdown via the returned routes'
// lifecycle — see startMediaGc). src/main.ts lists it.
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
