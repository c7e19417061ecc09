// Pulls the configuration flags (--config, --port, --host, --data, --set) out of an
// argument list, leaving everything else (the command and its own arguments) in order.
import { FatalError } from "../errors.ts";
import type { ConfigFlags } from "./load.ts";

const SINGLE = ["config", "port", "host", "data"] as const;

export function parseConfigFlags(argv: readonly string[]): { flags: ConfigFlags; rest: string[] } {
  const flags: ConfigFlags = {};
  const set: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--(config|port|host|data|set)(?:=(.*))?$/s.exec(arg);
    if (!m) {
      rest.push(arg);
      continue;
    }
    let value = m[2];
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined || value.startsWith("--")) throw new FatalError(`flag --${m[1]} needs a value`);
    }
    const name = m[1] as (typeof SINGLE)[number] | "set";
    if (name === "set") set.push(value);
    else flags[name] = value;
  }
  if (set.length > 0) flags.set = set;
  return { flags, rest };
}
