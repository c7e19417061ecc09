// Turns one raw config value (typed from TOML, or text from env/flags) into a checked
// value, or a reason it is refused. Shared by every layer so they agree on meaning.
import { isIP } from "node:net";
import type { KeySpec } from "./schema.ts";

export type Value = string | number | boolean | string[];
type Checked = { value: Value } | string;

/** SCREAMING_SNAKE environment name of a key: server.publicUrl → HEARTH_SERVER_PUBLIC_URL. */
export function envName(section: string, key: string): string {
  return `HEARTH_${section}_${key.replace(/([a-z0-9])([A-Z])/g, "$1_$2")}`.toUpperCase();
}

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);

export function checkValue(spec: KeySpec, raw: unknown, fromText: boolean, fullKey: string): Checked {
  const typed = fromText ? fromTextValue(spec, raw as string) : fromTomlValue(spec, raw);
  if (typeof typed === "string") return typed;
  const v = typed.value;
  if (spec.type === "int" && ((spec.min !== undefined && (v as number) < spec.min) || (spec.max !== undefined && (v as number) > spec.max))) {
    return "is out of range";
  }
  if (spec.type === "enum" && !spec.accepted!.includes(v as string)) return "is not an accepted value";
  const format = formats[fullKey]?.(v);
  return format ?? typed;
}

function fromTextValue(spec: KeySpec, text: string): Checked {
  const t = text.trim();
  switch (spec.type) {
    case "int":
      return /^-?\d{1,15}$/.test(t) ? { value: Number(t) } : "is not an integer";
    case "bool":
      if (TRUE.has(t.toLowerCase())) return { value: true };
      return FALSE.has(t.toLowerCase()) ? { value: false } : "is not a boolean";
    case "list":
      return { value: t === "" ? [] : t.split(",").map((s) => s.trim()).filter((s) => s !== "") };
    case "enum":
      return { value: t };
    case "string":
      return { value: text };
  }
}

function fromTomlValue(spec: KeySpec, raw: unknown): Checked {
  const got = Array.isArray(raw) ? "array" : raw instanceof Date ? "date" : typeof raw;
  switch (spec.type) {
    case "int":
      return typeof raw === "number" && Number.isInteger(raw) ? { value: raw } : `has type ${got}, expected an integer`;
    case "bool":
      return typeof raw === "boolean" ? { value: raw } : `has type ${got}, expected a boolean`;
    case "list":
      return Array.isArray(raw) && raw.every((s) => typeof s === "string")
        ? { value: [...raw] }
        : `has type ${got}, expected an array of strings`;
    case "enum":
    case "string":
      return typeof raw === "string" ? { value: raw } : `has type ${got}, expected a string`;
  }
}

/** What a key accepts, in words; keys with a format rule say so. */
export function acceptedText(spec: KeySpec, fullKey = ""): string {
  const hint = formatHint(fullKey);
  if (hint) return hint;
  switch (spec.type) {
    case "int":
      return `an integer from ${spec.min ?? "-∞"} to ${spec.max ?? "∞"}`;
    case "bool":
      return "true or false";
    case "enum":
      return `one of ${spec.accepted!.join(", ")}`;
    case "list":
      return "a list of strings (comma-separated in env and flags)";
    case "string":
      return "a string";
  }
}

const formatHints: Record<string, string> = {
  "metrics.bind": "empty, or host:port such as 127.0.0.1:9100",
  "server.publicUrl": "empty, or an http(s) URL such as https://chat.example.com",
  "server.trustedProxies": "IP addresses or CIDRs (comma-separated in env and flags)",
  "calls.iceServers": "stun:, stuns:, turn: or turns: URLs (comma-separated in env and flags)",
  "calls.announcedAddress": "empty, or an IP address",
  "server.host": "an IP address (0.0.0.0 or :: for all) or a host name such as localhost",
};

export function formatHint(fullKey: string): string | undefined {
  return formatHints[fullKey];
}

/** Extra format rules for string-typed keys whose shape matters. */
const formats: Record<string, (v: Value) => string | undefined> = {
  "metrics.bind": (v) => (v === "" || parseHostPort(v as string) ? undefined : "is not host:port"),
  "server.publicUrl": (v) => (v === "" || /^https?:\/\/[^\s/]+/.test(v as string) ? undefined : "is not an http(s) URL"),
  "server.trustedProxies": (v) => {
    const bad = (v as string[]).find((s) => !isAddressOrCidr(s));
    return bad === undefined ? undefined : `contains "${bad}", which is not an IP address or CIDR`;
  },
  // call clients get exactly these; iceServersFor would silently drop any other scheme
  "calls.iceServers": (v) => {
    const bad = (v as string[]).find((s) => !/^(stuns?|turns?):\S+$/.test(s.trim()));
    return bad === undefined ? undefined : `contains "${bad}", which is not a stun:, stuns:, turn: or turns: URL`;
  },
  "calls.announcedAddress": (v) => (v === "" || isIP(v as string) !== 0 ? undefined : "is not an IP address"),
  // checked here so a typo ends the start before the data dir is created or migrated
  "server.host": (v) => (isIP(v as string) !== 0 || isHostName(v as string) ? undefined : "is not an IP address or host name"),
};

/** RFC 1123 labels; a name that is all digits and dots must be a valid IP instead. */
function isHostName(s: string): boolean {
  if (s.length > 253 || /^[\d.]+$/.test(s)) return false;
  return s.split(".").every((l) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

/** "host:port" or "[v6]:port" → parts; null when malformed. */
export function parseHostPort(s: string): { host: string; port: number } | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(s);
  if (!m) return null;
  const port = Number(m[3]);
  return port <= 65535 ? { host: (m[1] ?? m[2])!, port } : null;
}

function isAddressOrCidr(s: string): boolean {
  const [addr, bits, extra] = s.split("/");
  const family = isIP(addr ?? "");
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}
