// t(): the one way screens get text. Interpolates {name} placeholders.
import { en, type Strings } from "./en.ts";

const strings: Strings = en;

type Key = Exclude<keyof Strings, "errors">;

export function format(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function t(key: Key, vars?: Record<string, string | number>): string {
  return format(strings[key], vars);
}

/** Text for an error code, or the server's own message when there is no translation. */
export function errorText(code: string, fallback: string): string {
  return strings.errors[code] ?? fallback;
}
