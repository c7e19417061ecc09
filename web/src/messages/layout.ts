// Turns a window of messages into rows: a day separator where the calendar day changes,
// and messages marked as the first/last of a group (same sender, within groupGapMs,
// nothing in between) so the view shows one name and avatar per group.
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import { authorKey } from "../imports/author.ts";

export const groupGapMs = 5 * 60_000;

export type Row =
  | { kind: "day"; key: string; at: number }
  | { kind: "msg"; key: string; m: WireMessage; first: boolean; last: boolean };

export function dayKey(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

function sameGroup(a: WireMessage, b: WireMessage): boolean {
  return (
    authorKey(a) === authorKey(b) &&
    b.createdAt - a.createdAt < groupGapMs &&
    dayKey(a.createdAt) === dayKey(b.createdAt) &&
    a.deletedAt === null &&
    b.deletedAt === null &&
    b.forward === null
  );
}

/**
 * `prev` (the last result) lets unchanged rows keep their identity: the view's <For> is keyed
 * by row object, so a fresh object re-creates that message's DOM — on every new message, page
 * or reaction that would rebuild all of them, dropping hover, focus and the jump flash.
 */
export function layoutRows(items: readonly WireMessage[], prev: readonly Row[] = []): Row[] {
  const old = new Map(prev.map((r) => [r.key, r]));
  const reuse = (row: Row): Row => {
    const o = old.get(row.key);
    if (!o || o.kind !== row.kind) return row;
    if (row.kind === "day") return o.kind === "day" && o.at === row.at ? o : row;
    return o.kind === "msg" && o.m === row.m && o.first === row.first && o.last === row.last ? o : row;
  };
  const rows: Row[] = [];
  for (let i = 0; i < items.length; i++) {
    const m = items[i]!;
    const before = items[i - 1];
    const next = items[i + 1];
    if (!before || dayKey(before.createdAt) !== dayKey(m.createdAt)) rows.push(reuse({ kind: "day", key: `day-${dayKey(m.createdAt)}`, at: m.createdAt }));
    rows.push(reuse({ kind: "msg", key: m.id, m, first: !before || !sameGroup(before, m), last: !next || !sameGroup(m, next) }));
  }
  return rows;
}

/** Your last message that can still be edited (Up arrow in an empty composer). */
export function lastEditable(items: readonly WireMessage[], meId: string | undefined): WireMessage | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const m = items[i]!;
    if (m.senderId === meId && m.deletedAt === null && m.forward === null) return m;
  }
  return undefined;
}

/** The word being typed at the caret when it is an @mention, with where it starts. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const m = /(^|\s)@([\p{L}\p{N}_.]{0,64})$/u.exec(text.slice(0, caret));
  return m ? { start: caret - m[2]!.length - 1, query: m[2]!.toLowerCase() } : null;
}
