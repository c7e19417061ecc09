import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { entries } from "./index.ts";
import { COMMANDS_END, COMMANDS_START, renderCommandReference, withCommandReference } from "./reference.ts";

const doc = readFileSync(new URL("../../docs/operations.md", import.meta.url).pathname, "utf8");

test("docs/operations.md lists exactly the commands `hearth --help` knows (refresh: bun src/cli/reference.ts)", () => {
  const inDoc = doc.slice(doc.indexOf(COMMANDS_START) + COMMANDS_START.length, doc.indexOf(COMMANDS_END));
  expect(inDoc).toBe("\n" + renderCommandReference(entries));
});

test("the table has a row per command, groups expanded", () => {
  const table = renderCommandReference(entries);
  expect(table).toContain("| `hearth admin reset-password <username> [flags]` | Set a new password and sign the account out everywhere |");
  expect(table).toContain("| `hearth secrets rotate <name> [flags]` |");
  expect(table.trim().split("\n").length).toBe(2 + 16); // + admin media, admin ipblock, export, import, admin delete
});

test("withCommandReference replaces only what is between the markers", () => {
  const text = `a\n${COMMANDS_START}\nold\n${COMMANDS_END}\nb\n`;
  expect(withCommandReference(text, entries)).toBe(`a\n${COMMANDS_START}\n${renderCommandReference(entries)}${COMMANDS_END}\nb\n`);
});
