// The shape every `hearth` command has: what it is called, what it accepts, how to
// use it, and what it does. index.ts parses arguments against this description, so
// help text and parsing can never disagree.
import type { ConfigFlags } from "../config/load.ts";
import { FatalError } from "../errors.ts";

export interface FlagSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in help for string flags, e.g. "file". */
  value?: string;
  desc: string;
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export interface CommandInput {
  positionals: string[];
  flags: FlagValues;
  /** The global flags (--config, --data, --set, --port, --host), for loadConfig. */
  globals: ConfigFlags;
}

/** An exit code, or null for a command that keeps running (serve). */
export type ExitCode = number | null;

export interface Command {
  name: string; // full name after "hearth", e.g. "admin create-user"
  summary: string; // one line for the command list
  args?: { name: string; required: boolean; desc: string }[];
  flags?: Record<string, FlagSpec>;
  details?: string; // paragraphs shown in the command's own help
  examples: string[];
  run(input: CommandInput): Promise<ExitCode>;
}

/** A command with subcommands (`hearth admin …`). */
export interface CommandGroup {
  name: string;
  summary: string;
  commands: Command[];
}

/** Bad command line: one line, a hint where to look, exit code 2. */
export class UsageError extends FatalError {
  constructor(message: string, helpFor = "") {
    super(`${message} (see "hearth ${helpFor ? `${helpFor} ` : ""}--help")`, 2);
    this.name = "UsageError";
  }
}

export const stringFlag = (flags: FlagValues, name: string): string | undefined => {
  const v = flags[name];
  return typeof v === "string" ? v : undefined;
};
