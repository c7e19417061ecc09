// Times as the chat list and message meta show them.
import { locale, t } from "../i18n/index.ts";
import { dayKey } from "../messages/layout.ts";

export function shortTime(at: number): string {
  return new Date(at).toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" });
}

export function listTime(at: number, now = Date.now()): string {
  if (dayKey(at) === dayKey(now)) return shortTime(at);
  if (now - at < 6 * 86_400_000) return new Date(at).toLocaleDateString(locale(), { weekday: "short" });
  return new Date(at).toLocaleDateString(locale(), { day: "numeric", month: "short" });
}

export function dayLabel(at: number, now = Date.now()): string {
  if (dayKey(at) === dayKey(now)) return t("today");
  if (dayKey(at) === dayKey(now - 86_400_000)) return t("yesterday");
  return new Date(at).toLocaleDateString(locale(), { weekday: "long", day: "numeric", month: "long", year: "numeric" });
}
