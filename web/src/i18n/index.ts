// t(): the one way screens get text. Interpolates {name} placeholders. The language is a
// signal, so switching it re-renders every string; the choice is kept in localStorage.
// Adding a language: see docs/web-client.md.
import { createSignal } from "solid-js";
import { de } from "./de.ts";
import { en, type Plural, type PluralKey, type Strings } from "./en.ts";

export const catalogs = { en, de } as const satisfies Record<string, Strings>;
export type Lang = keyof typeof catalogs;
export const languageNames: Record<Lang, string> = { en: "English", de: "Deutsch" };

const storageKey = "hearth.lang";

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(storageKey);
    if (saved && saved in catalogs) return saved as Lang;
  } catch {
    // storage blocked: fall back to the browser's language
  }
  const nav = (typeof navigator === "undefined" ? undefined : navigator.language)?.slice(0, 2) ?? "en";
  return nav in catalogs ? (nav as Lang) : "en";
}

const [lang, setLangSignal] = createSignal<Lang>(initialLang());
export { lang };

export function setLang(l: Lang): void {
  setLangSignal(l);
  try {
    localStorage.setItem(storageKey, l);
  } catch {
    // not persisted
  }
  if (typeof document !== "undefined") document.documentElement.lang = l;
}

export type Key = Exclude<keyof Strings, "errors" | "plurals">;
export type { PluralKey };

export function format(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function t(key: Key, vars?: Record<string, string | number>): string {
  return format(catalogs[lang()][key], vars);
}

/** The form of a plural text for this count, chosen by Intl.PluralRules of the language. */
export function pluralForm(forms: Plural, count: number, localeTag: string): string {
  const category = new Intl.PluralRules(localeTag).select(count) as keyof Plural;
  return forms[category] ?? forms.other;
}

/** A counted text ("1 member", "2 members"): {count} is the number as the language writes it. */
export function tn(key: PluralKey, count: number, vars: Record<string, string | number> = {}): string {
  const form = pluralForm(catalogs[lang()].plurals[key], count, locale());
  return format(form, { ...vars, count: new Intl.NumberFormat(locale()).format(count) });
}

/** Text for an error code, or the server's own message when there is no translation. */
export function errorText(code: string, fallback: string, data?: unknown): string {
  // A replayed TOTP code is right but spent: say so, so nobody retypes it.
  if (code === "invalid_two_factor" && (data as { reason?: string } | undefined)?.reason === "used") return t("totpAlreadyUsed");
  return catalogs[lang()].errors[code] ?? fallback;
}

/** Text for any thrown error (ClientError, ApiError or other). */
export function errorOf(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === "network" || code === "disconnected") return t("offlineError");
  return code ? errorText(code, (e as Error).message, (e as { data?: unknown }).data) : String(e);
}

export function locale(): string {
  return lang() === "de" ? "de-DE" : "en-GB";
}
