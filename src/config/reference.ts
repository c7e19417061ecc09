// The configuration reference table in docs/operations.md is generated from the schema,
// so the documentation cannot drift from what the loader accepts (checked by a test).
import { schema, type KeySpec } from "./schema.ts";
import { envName, formatHint } from "./values.ts";

export const REFERENCE_START = "<!-- config-reference:start -->";
export const REFERENCE_END = "<!-- config-reference:end -->";

export function renderConfigReference(): string {
  const rows = [
    "| Key | Environment | Type | Default | Accepted | Description |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const [sec, keys] of Object.entries(schema as unknown as Record<string, Record<string, KeySpec>>)) {
    for (const [key, spec] of Object.entries(keys)) {
      const cells = [`\`${sec}.${key}\``, `\`${envName(sec, key)}\``, spec.type, shownDefault(spec), accepted(spec, `${sec}.${key}`), spec.desc];
      rows.push(`| ${cells.map(escapeCell).join(" | ")} |`);
    }
  }
  return rows.join("\n") + "\n";
}

function shownDefault(spec: KeySpec): string {
  const d = spec.default;
  if (Array.isArray(d)) return d.length === 0 ? "(empty)" : `\`${d.join(",")}\``;
  if (d === "") return "(empty)";
  return `\`${String(d)}\``;
}

function accepted(spec: KeySpec, fullKey: string): string {
  const hint = formatHint(fullKey);
  if (hint) return hint;
  switch (spec.type) {
    case "int":
      return `${spec.min ?? ""}–${spec.max ?? ""}`;
    case "bool":
      return "true, false";
    case "enum":
      return spec.accepted!.join(", ");
    case "list":
      return "comma-separated";
    case "string":
      return spec.secretish ? "secret, never logged" : "";
  }
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** `text` with the part between the markers replaced by the current table. */
export function withReference(text: string): string {
  const start = text.indexOf(REFERENCE_START);
  const end = text.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error(`markers ${REFERENCE_START} … ${REFERENCE_END} not found`);
  return text.slice(0, start + REFERENCE_START.length) + "\n" + renderConfigReference() + text.slice(end);
}

// `bun src/config/reference.ts` refreshes the table in docs/operations.md, touching
// nothing outside the markers.
if (import.meta.main) {
  const path = new URL("../../docs/operations.md", import.meta.url).pathname;
  await Bun.write(path, withReference(await Bun.file(path).text()));
}
