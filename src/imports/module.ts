// Imports of other messengers' exports as the server offers them: WS methods only (the
// archive arrives through the resumable upload of src/media/). src/compose.ts lists it with
// the media module's blob store and locks: importsModule(deps, mediaState(deps)).
import type { DomainModule } from "../core/module.ts";
import type { ImportsDeps, ImportsMedia } from "./deps.ts";
import { importMethodDefs } from "./methods.ts";

export function importsModule(deps: ImportsDeps, media: ImportsMedia): DomainModule {
  return { name: "imports", methods: importMethodDefs(deps, media) };
}
