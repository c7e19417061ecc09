// Imports of other messengers' exports as the server offers them: WS methods only (the
// archive arrives through the resumable upload of src/media/). src/main.ts lists it.
import type { Deps } from "../server/deps.ts";
import type { DomainModule } from "../server/methods.ts";
import { importMethodDefs } from "./methods.ts";

export function importsModule(deps: Deps): DomainModule {
  return { name: "imports", methods: importMethodDefs(deps) };
}
