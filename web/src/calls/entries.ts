// Places finished calls among the loaded window's rows by time, so the chat reads like a
// timeline ("Missed call from Ann · 03:12"). Only calls inside the window's time range are
// shown — outside it the neighbouring messages are not loaded, so the place is unknown —
// plus, at an open end of history (newest/oldest loaded), everything beyond that end.
import type { WireCallRecord } from "../../../src/protocol/methods/calls.ts";
import type { Row } from "../messages/layout.ts";

export type CallRow = { kind: "call"; key: string; rec: WireCallRecord };
export type TimelineRow = Row | CallRow;

export interface WindowEnds {
  hasBefore: boolean;
  hasAfter: boolean;
}

const rowAt = (r: Row): number => (r.kind === "day" ? r.at : r.m.createdAt);

/** `prev` keeps call rows' identity (the view's <For> is keyed by object). */
export function mergeCallRows(rows: readonly Row[], recs: readonly WireCallRecord[], ends: WindowEnds, prev: readonly TimelineRow[] = []): TimelineRow[] {
  const msgs = rows.filter((r) => r.kind === "msg");
  const lo = !ends.hasBefore || msgs.length === 0 ? -Infinity : rowAt(msgs[0]!);
  const hi = !ends.hasAfter || msgs.length === 0 ? Infinity : rowAt(msgs.at(-1)!);
  if (msgs.length === 0 && (ends.hasBefore || ends.hasAfter)) return [...rows]; // nothing to place them by
  const old = new Map(prev.filter((r): r is CallRow => r.kind === "call").map((r) => [r.key, r]));
  const inRange = recs.filter((c) => c.endedAt >= lo && c.endedAt <= hi).sort((a, b) => a.endedAt - b.endedAt || (a.callId < b.callId ? -1 : 1));
  const out: TimelineRow[] = [];
  let i = 0;
  for (const c of inRange) {
    // a day separator stays with its first message: a call goes before the separator only if it is earlier
    while (i < rows.length && rowAt(rows[i]!) <= c.endedAt) out.push(rows[i++]!);
    const key = `call:${c.callId}`;
    const o = old.get(key);
    out.push(o && o.rec === c ? o : { kind: "call", key, rec: c });
  }
  while (i < rows.length) out.push(rows[i++]!);
  return out;
}
