import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { REFERENCE_END, REFERENCE_START, renderConfigReference, withReference } from "./reference.ts";
import { schema } from "./schema.ts";

const docPath = new URL("../../docs/operations.md", import.meta.url).pathname;

test("docs/operations.md holds exactly the generated table (refresh: bun src/config/reference.ts)", () => {
  const doc = readFileSync(docPath, "utf8");
  const start = doc.indexOf(REFERENCE_START);
  const end = doc.indexOf(REFERENCE_END);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  expect(doc.slice(start + REFERENCE_START.length, end)).toBe("\n" + renderConfigReference());
});

test("the table has one row per schema key, with its env var", () => {
  const table = renderConfigReference();
  const keys = Object.values(schema).flatMap((s) => Object.keys(s));
  expect(table.trim().split("\n").length).toBe(2 + keys.length);
  expect(table).toContain("| `server.port` | `HEARTH_SERVER_PORT` | int | `8080` | 0–65535 |");
  expect(table).toContain("| `storage.durability` | `HEARTH_STORAGE_DURABILITY` | enum | `normal` | normal, full |");
  expect(table).toContain("| `server.trustedProxies` | `HEARTH_SERVER_TRUSTED_PROXIES` | list | (empty) | IP addresses or CIDRs (comma-separated in env and flags) |");
  expect(table).toContain("| `metrics.bind` | `HEARTH_METRICS_BIND` | string | (empty) | empty, or host:port such as 127.0.0.1:9100 |");
});

test("withReference replaces only what is between the markers", () => {
  const text = `# Ops\nbefore\n${REFERENCE_START}\nold\n${REFERENCE_END}\nafter\n`;
  expect(withReference(text)).toBe(`# Ops\nbefore\n${REFERENCE_START}\n${renderConfigReference()}${REFERENCE_END}\nafter\n`);
});
