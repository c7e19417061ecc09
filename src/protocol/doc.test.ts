// docs/protocol.md must hold the generated tables verbatim: every error code, bye reason,
// method and event type is documented. HEARTH_WRITE_DOCS=1 rewrites the sections.
import { expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ERROR_CODE_LIST } from "./errors.ts";
import { BYE_REASON_LIST } from "./close.ts";
import { generatedSections } from "./doc-tables.ts";

const DOC = join(import.meta.dir, "../../docs/protocol.md");
const section = (name: string) => new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(\\n<!-- /generated:${name} -->)`);

test("docs/protocol.md holds the generated tables (error codes, bye reasons, methods, events)", () => {
  let doc = readFileSync(DOC, "utf8");
  if (process.env.HEARTH_WRITE_DOCS === "1") {
    for (const [name, gen] of Object.entries(generatedSections)) doc = doc.replace(section(name), `$1${gen()}$2`);
    writeFileSync(DOC, doc);
  }
  for (const [name, gen] of Object.entries(generatedSections)) {
    if (!doc.includes(`<!-- generated:${name} -->\n${gen()}\n<!-- /generated:${name} -->`)) {
      throw new Error(`docs/protocol.md section "${name}" is stale: run HEARTH_WRITE_DOCS=1 bun test src/protocol/doc.test.ts`);
    }
  }
  for (const code of ERROR_CODE_LIST) expect(doc).toContain(`\`${code}\``);
  for (const reason of BYE_REASON_LIST) expect(doc).toContain(`\`${reason}\``);
});
