import { describe, expect, test } from "vitest";
import type { WireCallRecord } from "../../../src/protocol/methods/calls.ts";
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import { layoutRows } from "../messages/layout.ts";
import { mergeCallRows } from "./entries.ts";

const day = Date.UTC(2026, 0, 5, 12);
const msg = (seq: number, at: number) => ({ id: `m${seq}`, seq, senderId: "u1", createdAt: at, deletedAt: null, forward: null }) as unknown as WireMessage;
const rec = (id: string, endedAt: number): WireCallRecord => ({ callId: id, chatId: "c1", startedBy: "u1", startedAt: endedAt - 1000, endedAt, reason: "ended", participantIds: ["u1"] });
const keys = (rs: { key: string }[]) => rs.map((r) => r.key).filter((k) => !k.startsWith("day"));

describe("mergeCallRows", () => {
  const rows = layoutRows([msg(1, day), msg(2, day + 10_000), msg(3, day + 20_000)]);
  const recs = [rec("late", day + 30_000), rec("mid", day + 15_000), rec("early", day - 5_000)];

  test("sorts calls in by time, only within the window when both ends have more", () => {
    const out = mergeCallRows(rows, recs, { hasBefore: true, hasAfter: true });
    expect(keys(out)).toEqual([rows[1]!.key, rows[2]!.key, "call:mid", rows[3]!.key]);
  });

  test("at the newest end, calls newer than the last message follow it", () => {
    const out = mergeCallRows(rows, recs, { hasBefore: true, hasAfter: false });
    expect(keys(out).slice(-2)).toEqual([rows[3]!.key, "call:late"]);
    expect(keys(out)).not.toContain("call:early");
  });

  test("keeps a call row's identity across merges, and an empty loaded chat shows all calls", () => {
    const a = mergeCallRows(rows, recs, { hasBefore: false, hasAfter: false });
    const b = mergeCallRows(rows, recs, { hasBefore: false, hasAfter: false }, a);
    expect(b.find((r) => r.key === "call:mid")).toBe(a.find((r) => r.key === "call:mid"));
    expect(keys(mergeCallRows([], recs, { hasBefore: false, hasAfter: false }))).toEqual(["call:early", "call:mid", "call:late"]);
  });
});
