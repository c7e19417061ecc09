// Retention in the client: the choices offered for the two settings, their labels, and
// how the announcements (chat.retention_changed) are worded and placed in the chat's
// timeline. Pure, for unit tests; the announcements seen since this page loaded are kept
// by ./notices.ts, the settings themselves in the chat (state.chats[id].chat).
import { t } from "../i18n/index.ts";

/** Seconds: off, 30 s, 5 min, 1 h, 1 day, 1 week (the server accepts any value within its bounds). */
export const DISAPPEAR_CHOICES: (number | null)[] = [null, 30, 300, 3600, 86_400, 604_800];
/** Days: off, 1, 7, 30, 90, 365. */
export const AUTO_DELETE_CHOICES: (number | null)[] = [null, 1, 7, 30, 90, 365];

const SECONDS: Record<number, () => string> = { 30: () => t("dur30s"), 300: () => t("dur5m"), 3600: () => t("dur1h"), 86_400: () => t("dur1d"), 604_800: () => t("dur1w") };

export function secondsLabel(s: number | null | undefined): string {
  if (s === null || s === undefined) return t("retentionOff");
  return SECONDS[s]?.() ?? (s % 86_400 === 0 ? daysLabel(s / 86_400) : t("durSeconds", { count: s }));
}

export function daysLabel(d: number | null | undefined): string {
  if (d === null || d === undefined) return t("retentionOff");
  if (d === 1) return t("dur1d");
  if (d === 7) return t("dur1w");
  if (d === 365) return t("dur1y");
  return t("durDays", { count: d });
}

/** The choices, with the chat's current value added when another client set one not listed. */
export const choicesWith = (list: (number | null)[], current: number | undefined) =>
  current === undefined || list.includes(current) ? list : [...list, current].sort((a, b) => (a ?? 0) - (b ?? 0));

export interface RetentionNotice {
  key: string;
  at: number;
  by: string;
  autoDeleteDays?: number | null;
  disappearSeconds?: number | null;
}

/** The lines of one announcement ("Ada set messages to disappear after 1 day"), one per changed setting. */
export function noticeLines(n: RetentionNotice, name: string): string[] {
  const out: string[] = [];
  if (n.disappearSeconds !== undefined) {
    out.push(n.disappearSeconds === null ? t("retentionOffDisappear", { name }) : t("retentionSetDisappear", { name, duration: secondsLabel(n.disappearSeconds) }));
  }
  if (n.autoDeleteDays !== undefined) {
    out.push(n.autoDeleteDays === null ? t("retentionOffAutoDelete", { name }) : t("retentionSetAutoDelete", { name, duration: daysLabel(n.autoDeleteDays) }));
  }
  return out;
}

export type NoticeRow = { kind: "notice"; key: string; notice: RetentionNotice };

/**
 * Places announcements among the timeline's rows by time (`at` gives a row's time). One
 * older than the first loaded row shows only at the start of history (`hasBefore` false).
 */
export function mergeNotices<R extends { kind: string }>(rows: readonly R[], list: readonly RetentionNotice[], at: (r: R) => number, hasBefore: boolean): (R | NoticeRow)[] {
  if (list.length === 0) return [...rows];
  const first = rows.length > 0 ? at(rows[0]!) : -Infinity;
  const shown = list.filter((n) => !hasBefore || n.at >= first);
  const out: (R | NoticeRow)[] = [];
  let i = 0;
  for (const n of shown) {
    while (i < rows.length && at(rows[i]!) <= n.at) out.push(rows[i++]!);
    out.push({ kind: "notice", key: n.key, notice: n });
  }
  while (i < rows.length) out.push(rows[i++]!);
  return out;
}
