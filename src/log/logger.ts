// The logger: one JSON object per line for machines, or a short colored line for a person
// at a terminal. Fields whose names look secret (config keys marked secretish, passwords,
// tokens) are replaced before anything is written, however deep they sit.
import { SECRETISH_KEYS } from "../config/load.ts";
import { AppError, FatalError } from "../errors.ts";
import type { Logger, LogLevel } from "./port.ts";

export interface LogStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}
export interface LoggerOptions {
  level: LogLevel;
  format: "auto" | "json" | "pretty";
  /** Default: stderr, so command output on stdout stays clean for pipes. */
  stream?: LogStream;
  now?: () => Date;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const RESERVED = new Set(["t", "level", "msg"]);
const SECRET_NAMES = new Set(
  [...SECRETISH_KEYS, "password", "secret", "token", "authorization", "cookie", "setcookie"].map(normalize),
);
const DEPTH_MAX = 6;

export function createLogger(opts: LoggerOptions): Logger {
  const stream = opts.stream ?? process.stderr;
  const pretty = opts.format === "pretty" || (opts.format === "auto" && stream.isTTY === true);
  const ctx: WriteContext = { min: ORDER[opts.level], debug: opts.level === "debug", pretty, stream, now: opts.now ?? (() => new Date()) };
  return make(ctx, {});
}

interface WriteContext {
  min: number;
  debug: boolean;
  pretty: boolean;
  stream: LogStream;
  now: () => Date;
}

function make(ctx: WriteContext, bound: Record<string, unknown>): Logger {
  const at = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < ctx.min) return;
    const record = buildRecord(ctx, level, msg, { ...bound, ...fields });
    ctx.stream.write(ctx.pretty ? prettyLine(record) : JSON.stringify(record) + "\n");
  };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (fields) => make(ctx, { ...bound, ...fields }),
  };
}

function buildRecord(ctx: WriteContext, level: LogLevel, msg: string, fields: Record<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = { t: ctx.now().toISOString(), level, msg };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    record[RESERVED.has(key) ? `field_${key}` : key] = isSecretName(key) ? "[redacted]" : clean(value, ctx.debug, 0);
  }
  return record;
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, "");
}

export function isSecretName(name: string): boolean {
  const n = normalize(name);
  return SECRET_NAMES.has(n) || n.endsWith("password") || n.endsWith("secret") || n.endsWith("token");
}

/** JSON-safe copy: errors serialized, secrets redacted, bigints as strings, depth bounded. */
function clean(value: unknown, debug: boolean, depth: number): unknown {
  if (value instanceof Error) return serializeError(value, debug, depth);
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return value;
  if (depth >= DEPTH_MAX) return "[depth]";
  if (Array.isArray(value)) return value.map((v) => clean(v, debug, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretName(k) ? "[redacted]" : clean(v, debug, depth + 1);
  return out;
}

/** Expected errors (AppError, FatalError) carry their stack only at debug level: it says nothing new. */
export function serializeError(err: Error, debug: boolean, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = { name: err.name, message: err.message };
  if (err instanceof AppError) {
    out.code = err.code;
    if (err.data !== undefined) out.data = clean(err.data, debug, depth + 1);
  }
  const expected = err instanceof AppError || err instanceof FatalError;
  if (err.stack && (debug || !expected)) out.stack = err.stack;
  if (err.cause !== undefined && depth < DEPTH_MAX) out.cause = clean(err.cause, debug, depth + 1);
  return out;
}

const COLORS: Record<string, string> = { debug: "\x1b[90m", info: "\x1b[36m", warn: "\x1b[33m", error: "\x1b[31m" };
const RESET = "\x1b[0m";

function prettyLine(record: Record<string, unknown>): string {
  const { t, level, msg, ...fields } = record;
  const time = String(t).slice(11, 23);
  const lvl = String(level);
  const stacks: string[] = [];
  const parts = Object.entries(fields).map(([k, v]) => {
    if (v && typeof v === "object" && "stack" in v) stacks.push(String((v as { stack: unknown }).stack));
    const text = typeof v === "string" && /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v, (key, x) => (key === "stack" ? undefined : x));
    return `\x1b[2m${k}=\x1b[0m${text}`;
  });
  const head = `\x1b[2m${time}${RESET} ${COLORS[lvl] ?? ""}${lvl.toUpperCase().padEnd(5)}${RESET} ${String(msg)}`;
  const tail = stacks.map((s) => "\n  " + s.replace(/\n/g, "\n  ")).join("");
  return [head, ...parts].join(" ") + tail + "\n";
}
