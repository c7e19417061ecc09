// The table of every bound in src/limits.ts, generated for docs/protocol.md ("All
// limits"). Values come from the running object, descriptions and grouping from the
// source's comments, so the doc cannot drift from either: src/limits-table.test.ts checks it.
import { limits } from "./limits.ts";

export const LIMITS_START = "<!-- generated:limits -->";
export const LIMITS_END = "<!-- /generated:limits -->";

interface Row {
  name: string;
  why: string;
}

/** Groups of `name: value, // why` lines, each under the `// heading` that opens it. */
export function parseLimitsSource(source: string): { heading: string; rows: Row[] }[] {
  const body = source.slice(source.indexOf("export const limits = {"), source.indexOf("} as const;"));
  const groups: { heading: string; rows: Row[] }[] = [];
  let previous = "";
  for (const line of body.split("\n")) {
    // A comment after a blank line opens a group; other comment lines explain the next entries.
    const heading = previous.trim() === "" || previous.startsWith("export const limits") ? /^ {2}\/\/ (.+)$/.exec(line) : null;
    previous = line;
    if (heading) {
      groups.push({ heading: heading[1]!, rows: [] });
      continue;
    }
    const entry = /^ {2}(\w+): [^/]*?,\s*(?:\/\/ (.*))?$/.exec(line);
    if (entry) groups.at(-1)?.rows.push({ name: entry[1]!, why: entry[2] ?? "" });
  }
  return groups.filter((g) => g.rows.length > 0);
}

const plain = (n: number) => n.toLocaleString("en-US");

function duration(ms: number): string {
  const units: [number, string][] = [[86_400_000, "d"], [3_600_000, "h"], [60_000, "min"], [1000, "s"]];
  for (const [size, unit] of units) if (ms >= size && ms % size === 0) return `${plain(ms / size)} ${unit}`;
  return `${plain(ms)} ms`;
}

function bytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${plain(n / (1 << 20))} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${plain(n / 1024)} KiB`;
  return `${plain(n)} bytes`;
}

/** A value in the unit its name ends with (TIGER_STYLE: unit last). */
export function formatLimit(name: string, value: number): string {
  if (/Ms(Max)?$/.test(name)) return duration(value);
  if (/(Sec|Secs)(Max)?$/.test(name)) return duration(value * 1000);
  if (/Bytes(Max)?$/.test(name)) return bytes(value);
  if (/Days$/.test(name)) return `${plain(value)} d`;
  return plain(value);
}

export function renderLimitsTable(source: string): string {
  const values = limits as unknown as Record<string, number>;
  const out: string[] = [];
  for (const group of parseLimitsSource(source)) {
    out.push(`**${group.heading}**`, "", "| limit | value | what it bounds |", "| --- | --- | --- |");
    for (const row of group.rows) out.push(`| \`${row.name}\` | ${formatLimit(row.name, values[row.name]!)} | ${row.why.replaceAll("|", "\\|")} |`);
    out.push("");
  }
  return out.join("\n");
}

export function withLimitsTable(doc: string, source: string): string {
  const start = doc.indexOf(LIMITS_START);
  const end = doc.indexOf(LIMITS_END);
  if (start < 0 || end < start) throw new Error(`markers ${LIMITS_START} … ${LIMITS_END} not found`);
  return doc.slice(0, start + LIMITS_START.length) + "\n" + renderLimitsTable(source) + doc.slice(end);
}

// `bun src/limits-table.ts` refreshes the table in docs/protocol.md.
if (import.meta.main) {
  const doc = new URL("../docs/protocol.md", import.meta.url).pathname;
  const source = await Bun.file(new URL("./limits.ts", import.meta.url).pathname).text();
  await Bun.write(doc, withLimitsTable(await Bun.file(doc).text(), source));
}
