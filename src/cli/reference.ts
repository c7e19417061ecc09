// The command table in docs/operations.md is generated from the CLI's own command list
// (the same summaries `hearth --help` prints), so the two cannot drift; a test checks it.
// Refresh: bun src/cli/reference.ts
import { readFileSync, writeFileSync } from "node:fs";
import type { Command, CommandGroup } from "./command.ts";
import { usageLine } from "./help.ts";

export const COMMANDS_START = "<!-- cli-commands:start -->";
export const COMMANDS_END = "<!-- cli-commands:end -->";

export function renderCommandReference(entries: readonly (Command | CommandGroup)[]): string {
  const commands = entries.flatMap((e) => ("commands" in e ? e.commands : [e]));
  const rows = ["| Command | What it does |", "| --- | --- |"];
  for (const c of commands) rows.push(`| \`${usageLine(c).replace(/\|/g, "\\|")}\` | ${c.summary.replace(/\|/g, "\\|")} |`);
  return rows.join("\n") + "\n";
}

export function withCommandReference(doc: string, entries: readonly (Command | CommandGroup)[]): string {
  const start = doc.indexOf(COMMANDS_START);
  const end = doc.indexOf(COMMANDS_END);
  if (start < 0 || end < start) throw new Error(`markers ${COMMANDS_START} … ${COMMANDS_END} not found`);
  return doc.slice(0, start + COMMANDS_START.length) + "\n" + renderCommandReference(entries) + doc.slice(end);
}

if (import.meta.main) {
  const { entries } = await import("./index.ts");
  const path = new URL("../../docs/operations.md", import.meta.url).pathname;
  writeFileSync(path, withCommandReference(readFileSync(path, "utf8"), entries));
  console.log(`wrote the command table into ${path}`);
}
