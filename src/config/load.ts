// Loads the configuration: defaults < TOML file < environment < CLI flags.
// Every provided value is checked where it enters, so an error can name the key, where
// the value came from (file, env var, flag) and what would have been accepted. The
// result is validated once here; nothing downstream re-checks configuration.
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseToml, TomlError } from "smol-toml";
import { FatalError } from "../errors.ts";
import { limits } from "../limits.ts";
import { schema, type Config, type KeySpec } from "./schema.ts";
import { acceptedText, checkValue, envName, type Value } from "./values.ts";
import { closest, distance } from "./suggest.ts";

export { renderConfigReference } from "./reference.ts";
export { envName } from "./values.ts";

export interface ConfigFlags {
  config?: string;
  port?: string | number;
  host?: string;
  data?: string;
  /** `section.key=value`, repeatable. */
  set?: readonly string[];
}
export interface ConfigFile {
  path: string;
  text: string;
}
export interface ConfigInput {
  flags?: ConfigFlags;
  env?: Record<string, string | undefined>;
  file?: ConfigFile | null;
}

type Values = Record<string, Record<string, Value>>;
const sections = schema as unknown as Record<string, Record<string, KeySpec>>;

/** Pure: merges the layers and validates every value; throws FatalError on the first problem. */
export function loadConfig(input: ConfigInput): Config {
  const values = defaults();
  if (input.file) applyFile(values, input.file);
  applyEnv(values, input.env ?? {});
  applyFlags(values, input.flags ?? {});
  return { ...values, source: { file: input.file ? input.file.path : null } } as unknown as Config;
}

/** Thin reader: finds the file (--config, then HEARTH_CONFIG), reads it and calls loadConfig. */
export function resolveConfig(flags: ConfigFlags, env: Record<string, string | undefined> = process.env): Config {
  const path = flags.config ?? env.HEARTH_CONFIG;
  const file = path ? readConfigFile(path) : null;
  return loadConfig({ flags, env, file });
}

export function readConfigFile(path: string): ConfigFile {
  const full = resolve(path);
  let size: number;
  try {
    size = statSync(full).size;
  } catch (err) {
    throw new FatalError(`cannot read config file ${full}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (size > limits.configFileBytesMax) throw tooLarge(full, size);
  return { path: full, text: readFileSync(full, "utf8") };
}

function tooLarge(path: string, bytes: number): FatalError {
  return new FatalError(`config file ${path} is ${bytes} bytes; the limit is ${limits.configFileBytesMax} bytes`);
}

function defaults(): Values {
  const out: Values = {};
  for (const [sec, keys] of Object.entries(sections)) {
    out[sec] = {};
    for (const [key, spec] of Object.entries(keys)) {
      out[sec][key] = Array.isArray(spec.default) ? [...spec.default] : (spec.default as Value);
    }
  }
  return out;
}

function assign(values: Values, sec: string, key: string, raw: unknown, source: string, fromText: boolean): void {
  const spec = sections[sec]?.[key];
  if (!spec) throw unknownKey(sec, key, source);
  const result = checkValue(spec, raw, fromText, `${sec}.${key}`);
  if (typeof result === "string") {
    const shown = spec.secretish ? "" : ` ${JSON.stringify(raw)}`;
    throw new FatalError(`invalid ${sec}.${key} (${source}):${shown} ${result}; accepted: ${acceptedText(spec, `${sec}.${key}`)}`);
  }
  values[sec]![key] = result.value;
}

function unknownKey(sec: string, key: string, source: string): FatalError {
  if (!sections[sec]) {
    const hint = closest(sec, Object.keys(sections));
    return new FatalError(`unknown config section "${sec}" (${source})${hint ? `; did you mean "${hint}"?` : ""}`);
  }
  const hint = closest(key, Object.keys(sections[sec]));
  return new FatalError(`unknown config key ${sec}.${key} (${source})${hint ? `; did you mean ${sec}.${hint}?` : ""}`);
}

function applyFile(values: Values, file: ConfigFile): void {
  const bytes = Buffer.byteLength(file.text);
  if (bytes > limits.configFileBytesMax) throw tooLarge(file.path, bytes);
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(file.text);
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    const why = (err.message.split("\n")[0] ?? "").replace(/^Invalid TOML document:\s*/, "");
    throw new FatalError(`cannot parse config file ${file.path} at line ${err.line}, column ${err.column}: ${why}`);
  }
  const source = `file ${file.path}`;
  for (const [sec, table] of Object.entries(doc)) {
    if (!sections[sec]) throw unknownKey(sec, "", source);
    if (!isTable(table)) throw new FatalError(`config section "${sec}" in ${file.path} must be a table ([${sec}])`);
    for (const [key, raw] of Object.entries(table)) assign(values, sec, key, raw, source, false);
  }
}

function isTable(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !(x instanceof Date);
}

function applyEnv(values: Values, env: Record<string, string | undefined>): void {
  const known = new Map<string, [string, string]>();
  for (const [sec, keys] of Object.entries(sections)) {
    for (const key of Object.keys(keys)) known.set(envName(sec, key), [sec, key]);
  }
  for (const [name, raw] of Object.entries(env)) {
    if (raw === undefined || !name.startsWith("HEARTH_") || name === "HEARTH_CONFIG") continue;
    const target = known.get(name);
    if (target) {
      assign(values, target[0], target[1], raw, `env ${name}`, true);
      continue;
    }
    const typo = envTypo(name, known);
    if (typo !== null) throw new FatalError(`unknown config variable env ${name}${typo ? `; did you mean ${typo}?` : ""}`);
  }
}

/**
 * Whether an unknown HEARTH_* name is a config typo: its section is known (a key typo),
 * or one letter off a known section with a known key (HEARTH_SERVR_PORT). Returns the
 * suggestion ("" for none), or null when the name belongs to something else
 * (HEARTH_CACHE_DIR of the build scripts) and must be left alone.
 */
function envTypo(name: string, known: Map<string, [string, string]>): string | null {
  const [, first = "", rest = ""] = /^HEARTH_([A-Z0-9]+)_?(.*)$/.exec(name) ?? [];
  for (const sec of Object.keys(sections)) {
    const candidates = [...known].filter(([, [s]]) => s === sec).map(([n]) => n);
    const SEC = sec.toUpperCase();
    if (first === SEC) return closest(name, candidates) ?? "";
    if (distance(first, SEC) <= 1) {
      const hit = candidates.find((n) => n === `HEARTH_${SEC}_${rest}`);
      if (hit) return hit;
    }
  }
  return null;
}

function applyFlags(values: Values, flags: ConfigFlags): void {
  if (flags.host !== undefined) assign(values, "server", "host", String(flags.host), "flag --host", true);
  if (flags.port !== undefined) assign(values, "server", "port", String(flags.port), "flag --port", true);
  if (flags.data !== undefined) assign(values, "data", "dir", String(flags.data), "flag --data", true);
  for (const item of flags.set ?? []) {
    const m = /^([A-Za-z]+)\.([A-Za-z0-9]+)=(.*)$/s.exec(item);
    if (!m) throw new FatalError(`flag --set "${item}" must look like section.key=value (e.g. --set server.port=8080)`);
    assign(values, m[1]!, m[2]!, m[3]!, `flag --set ${m[1]}.${m[2]}`, true);
  }
}

/** The config as it may be logged: secretish values replaced by "[redacted]". */
export function redactConfig(config: Config): Record<string, unknown> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [sec, keys] of Object.entries(sections)) {
    const given = (config as unknown as Values)[sec]!;
    out[sec] = {};
    for (const key of Object.keys(keys)) {
      out[sec][key] = keys[key]!.secretish && given[key] !== "" ? "[redacted]" : given[key];
    }
  }
  return { ...out, source: config.source };
}

/** Names of config keys whose values must never reach a log line. */
export const SECRETISH_KEYS: readonly string[] = Object.values(sections).flatMap((keys) =>
  Object.entries(keys).filter(([, spec]) => spec.secretish).map(([key]) => key),
);
