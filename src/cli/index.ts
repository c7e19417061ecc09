// `hearth <command> [flags]`: finds the command, parses its flags (parse.ts) against
// the command's own description, and runs it. Every failure ends as
// ONE line on stderr starting "hearth: " and a non-zero exit code (2 for a bad command
// line); stack traces are for bugs, and even those print one line here.
import { AppError, FatalError } from "../errors.ts";
import { type Command, type CommandGroup, type ExitCode, UsageError } from "./command.ts";
import { locate, parse } from "./parse.ts";
import { commandHelp, groupHelp, topHelp } from "./help.ts";
import { adminGroup } from "./admin/group.ts";
import { backupCommand } from "./backup.ts";
import { exportCommand } from "./export.ts";
import { importCommand } from "./import.ts";
import { doctorCommand } from "./doctor/command.ts";
import { migrateCommand } from "./migrate.ts";
import { restoreCommand } from "./restore.ts";
import { secretsGroup } from "./secrets.ts";
import { serveCommand } from "./serve.ts";
import { versionCommand } from "./version.ts";

export const entries: (Command | CommandGroup)[] = [
  serveCommand, migrateCommand, backupCommand, restoreCommand, exportCommand, importCommand, adminGroup, secretsGroup, doctorCommand, versionCommand,
];

/**
 * Every file Hearth creates (database and SQLite's own -wal/-shm, secrets, keys, CA,
 * backups) is for its own user only, whatever umask the shell or service manager set:
 * SQLite creates its side files itself, so the process umask is the one place to say it.
 */
export const FILE_UMASK = 0o077;

/** Runs the command line and exits when a one-shot command is done (serve keeps running). */
export async function runCli(args: string[]): Promise<void> {
  process.umask(FILE_UMASK);
  let code: ExitCode;
  try {
    code = await dispatch(args);
  } catch (err) {
    code = report(err);
  }
  if (code !== null) process.exit(code);
}

export function report(err: unknown): number {
  const firstLine = (s: string) => s.split("\n")[0]!.trim();
  if (err instanceof FatalError) {
    process.stderr.write(`hearth: ${firstLine(err.message)}\n`);
    return err.exitCode;
  }
  if (err instanceof AppError) {
    process.stderr.write(`hearth: ${firstLine(err.message)}\n`);
    return 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`hearth: unexpected error: ${firstLine(message)}\n`);
  return 1;
}

const isHelp = (a: string) => a === "--help" || a === "-h";

const findGroup = (name: string) => entries.find((e): e is CommandGroup => "commands" in e && e.name === name);

async function dispatch(args: string[]): Promise<ExitCode> {
  const { names, rest } = locate(args, (name) => findGroup(name) !== undefined);
  const flagsBeforeEnd = rest.slice(0, rest.includes("--") ? rest.indexOf("--") : rest.length);
  const help = flagsBeforeEnd.some(isHelp);
  if (names[0] === "help") return print(helpFor([...names.slice(1), ...flagsBeforeEnd.filter((a) => !a.startsWith("-"))])); // `help nope` is an unknown command, not the top help
  if (names.length === 0 && help) return print(topHelp(entries));
  if (names.length === 0 && flagsBeforeEnd.some((a) => a === "--version" || a === "-v")) {
    return versionCommand.run({ positionals: [], flags: {}, globals: {} });
  }
  const cmd = resolve(names.length ? names : ["serve"]);
  if ("commands" in cmd) {
    if (help) return print(groupHelp(cmd));
    throw new UsageError(`"hearth ${cmd.name}" needs a command: ${cmd.commands.map((c) => c.name.split(" ").pop()).join(", ")}`, cmd.name);
  }
  if (help) return print(commandHelp(cmd));
  return cmd.run(parse(cmd, rest));
}

function resolve(names: string[]): Command | CommandGroup {
  const entry = entries.find((e) => e.name === names[0]);
  if (!entry) throw new UsageError(`unknown command "${names[0]}"`);
  if (!("commands" in entry) || names.length < 2) return entry;
  const sub = entry.commands.find((c) => c.name === `${entry.name} ${names[1]}`);
  if (!sub) throw new UsageError(`unknown command "${entry.name} ${names[1]}"`, entry.name);
  return sub;
}

function helpFor(names: string[]): string {
  if (names.length === 0) return topHelp(entries);
  const cmd = resolve(names);
  return "commands" in cmd ? groupHelp(cmd) : commandHelp(cmd);
}

function print(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}
