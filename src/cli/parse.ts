// Argument parsing for `hearth`: node:util parseArgs, strict, against the command's own
// flag list plus the global flags; its errors are rewritten as one short line.
import { parseArgs } from "node:util";
import { type Command, type CommandInput, type FlagSpec, UsageError } from "./command.ts";
import { globalFlags, globalValueFlags, pickGlobals } from "./globals.ts";

/** Splits command names (up to two: group + command) from flags and arguments. */
export function locate(args: string[], isGroup: (name: string) => boolean): { names: string[]; rest: string[] } {
  const names: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      rest.push(...args.slice(i));
      break;
    }
    if (a.startsWith("-")) {
      rest.push(a);
      if (globalValueFlags.has(a) && i + 1 < args.length) rest.push(args[++i]!);
      continue;
    }
    const wantsName = names.length === 0 || (names.length === 1 && isGroup(names[0]!));
    (wantsName ? names : rest).push(a);
  }
  return { names, rest };
}

/** Parses the arguments after the command name against its flags and arguments. */
export function parse(cmd: Command, rest: string[]): CommandInput {
  const specs: Record<string, FlagSpec> = { ...globalFlags, ...cmd.flags };
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, s]) => [
      name,
      { type: s.type, ...(s.short ? { short: s.short } : {}), ...(s.multiple ? { multiple: true } : {}) },
    ]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: options as never, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(parseErrorText(err), cmd.name);
  }
  const argSpecs = cmd.args ?? [];
  const required = argSpecs.filter((a) => a.required).length;
  const { positionals, values } = parsed;
  if (positionals.length < required) {
    throw new UsageError(`missing <${argSpecs[positionals.length]!.name}> for "hearth ${cmd.name}"`, cmd.name);
  }
  if (positionals.length > argSpecs.length) {
    throw new UsageError(`unexpected argument "${positionals[argSpecs.length]}" for "hearth ${cmd.name}"`, cmd.name);
  }
  const flags = values as Record<string, string | boolean | string[] | undefined>;
  return { positionals, flags, globals: pickGlobals(flags) };
}

/** node's parseArgs messages are long and suggest `--`; say only what was wrong. */
function parseErrorText(err: unknown): string {
  const e = err as { code?: string; message?: string };
  // The quoted part reads '--x', '-x', '--x <value>' or '-x, --x': name the long form.
  const option = /'([^']+)'/.exec(e.message ?? "")?.[1] ?? "";
  const names = option.match(/--?[\w-]+/g) ?? [option];
  const name = names.find((n) => n.startsWith("--")) ?? names[0];
  if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown flag ${name}`;
  if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    return /takes? no|does not take/.test(e.message ?? "") ? `flag ${name} takes no value` : `flag ${name} needs a value`;
  }
  return (e.message ?? String(err)).split(".")[0]!;
}
