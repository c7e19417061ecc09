// Help text, generated from the command descriptions so it cannot drift from parsing.
import type { Command, CommandGroup, FlagSpec } from "./command.ts";
import { globalFlags } from "./globals.ts";

type Entry = Command | CommandGroup;
const isGroup = (e: Entry): e is CommandGroup => "commands" in e;

function table(rows: [string, string][]): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`);
}

function flagRows(flags: Record<string, FlagSpec>): [string, string][] {
  return Object.entries(flags).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : "";
    const value = spec.type === "string" ? ` <${spec.value ?? "value"}>` : "";
    return [`${short}--${name}${value}`, spec.desc];
  });
}

export function usageLine(cmd: Command): string {
  const args = (cmd.args ?? []).map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`)).join(" ");
  return `hearth ${cmd.name}${args ? ` ${args}` : ""} [flags]`;
}

export function commandHelp(cmd: Command): string {
  const lines = [`Usage: ${usageLine(cmd)}`, "", cmd.summary];
  if (cmd.details) lines.push("", cmd.details);
  if (cmd.args?.length) lines.push("", "Arguments:", ...table(cmd.args.map((a) => [a.name, a.desc])));
  if (cmd.flags && Object.keys(cmd.flags).length) lines.push("", "Flags:", ...table(flagRows(cmd.flags)));
  lines.push("", "Global flags:", ...table(flagRows({ ...globalFlags, help: { type: "boolean", short: "h", desc: "Show this help" } })));
  lines.push("", "Examples:", ...cmd.examples.map((e) => `  ${e}`));
  return lines.join("\n");
}

export function groupHelp(group: CommandGroup): string {
  return [
    `Usage: hearth ${group.name} <command> [flags]`,
    "",
    group.summary,
    "",
    "Commands:",
    ...table(group.commands.map((c) => [c.name, c.summary])),
    "",
    `Run "hearth ${group.name} <command> --help" for a command's flags and examples.`,
  ].join("\n");
}

export function topHelp(entries: Entry[]): string {
  const rows: [string, string][] = [];
  for (const e of entries) {
    if (isGroup(e)) for (const c of e.commands) rows.push([c.name, c.summary]);
    else rows.push([e.name, e.summary]);
  }
  return [
    "Hearth — a self-hosted messenger in one executable.",
    "",
    "Usage: hearth [command] [flags]      (no command: serve)",
    "",
    "Commands:",
    ...table(rows),
    "",
    "Global flags:",
    ...table(
      flagRows({
        ...globalFlags,
        help: { type: "boolean", short: "h", desc: "Show help (also after any command)" },
        version: { type: "boolean", short: "v", desc: "Same as `hearth version`" },
      }),
    ),
    "",
    'Run "hearth <command> --help" for a command\'s flags and examples.',
  ].join("\n");
}
