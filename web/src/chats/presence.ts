// Presence and typing as screens read them.
import { t, tn } from "../i18n/index.ts";
import { status } from "../net/connection.ts";
import { state } from "../sync/store.ts";
import { nameOf } from "../sync/users.ts";
import { shortTime } from "./format.ts";

// Presence is live data: without a connection what we last heard may be stale, so it is
// shown as unknown (no green dot, no "online") until the connection is back.
const known = () => status() === "online";

export const isOnline = (userId: string | null | undefined): boolean => known() && !!userId && state.presence[userId]?.state === "online";

/** The avatar's mark: a green dot when online, a red "do not disturb" one, or none. */
export function presenceMark(userId: string | null | undefined): "online" | "dnd" | null {
  if (!known() || !userId) return null;
  const s = state.presence[userId]?.state;
  return s === "online" || s === "dnd" ? s : null;
}

export function presenceText(userId: string): string {
  if (!known()) return t("presenceUnknown");
  const p = state.presence[userId];
  if (!p) return "";
  if (p.state === "online") return t("online");
  if (p.state === "away") return t("away");
  if (p.state === "dnd") return t("presenceDnd");
  if (p.state === "recently") return t("seenRecently");
  if (p.state === "long_ago") return t("seenLongAgo");
  return p.lastSeenAt ? t("lastSeenAt", { time: shortTime(p.lastSeenAt) }) : t("offlineState");
}

/** "Ann is typing…" for a chat, or "" (expired notices are ignored; `now` ticks in the view). */
export function typingText(chatId: string, now: number): string {
  const who = Object.entries(state.typing[chatId] ?? {})
    .filter(([id, until]) => until > now && id !== state.me?.id)
    .map(([id]) => nameOf(id));
  if (who.length === 0) return "";
  if (who.length === 1) return t("typingOne", { name: who[0]! });
  return tn("typingMany", who.length);
}
