// The call history sub-store on a real SQLite file: records with their events in one
// transaction, newest-first pages, not_found for a missing chat, gone with its chat's rows.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newId } from "../../../ids.ts";
import type { CallRecord } from "../../calls-port.ts";
import { addUser } from "../../contract/fixtures.ts";
import type { Storage } from "../../port.ts";
import { openSqliteStorage } from "../storage.ts";

const dir = mkdtempSync(join(tmpdir(), "hearth-calls-store-"));
let s: Storage;
let chatId: string;
let a: string, b: string;

beforeAll(async () => {
  s = await openSqliteStorage({ file: join(dir, "h.db"), durability: "normal" });
  [a, b] = [(await addUser(s)).id, (await addUser(s)).id];
  chatId = (await s.chats.openDirect({ id: newId(), userId: a, peerId: b, now: Date.now() })).value.chat.id;
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const record = (endedAt: number, reason: CallRecord["reason"] = "ended"): CallRecord => ({
  id: newId(endedAt),
  chatId,
  startedBy: a,
  startedAt: endedAt - 1000,
  endedAt,
  reason,
  participantIds: reason === "missed" ? [a] : [a, b],
});

describe("call history store", () => {
  test("a record commits with its events; pages come newest first", async () => {
    const first = await s.calls.record(record(1000, "missed"), { emit: (r) => [{ to: [a, b], type: "call.ended", data: { callId: r.id } }] });
    expect(first.events.map((e) => e.userId).sort()).toEqual([a, b].sort());
    await s.calls.record(record(2000));
    await s.calls.record(record(3000, "declined"));
    const page1 = await s.calls.history(chatId, { limit: 2 });
    expect(page1.map((r) => r.endedAt)).toEqual([3000, 2000]);
    const last = page1.at(-1)!;
    const page2 = await s.calls.history(chatId, { limit: 2, before: { endedAt: last.endedAt, id: last.id } });
    expect(page2.map((r) => [r.endedAt, r.reason, r.participantIds])).toEqual([[1000, "missed", [a]]]);
  });

  test("a call in a chat that does not exist is not_found, and nothing is written", async () => {
    await expect(s.calls.record({ ...record(4000), chatId: "01NOSUCHCHAT0000000000000" })).rejects.toMatchObject({ code: "not_found" });
    expect(await s.calls.history("01NOSUCHCHAT0000000000000", { limit: 10 })).toEqual([]);
  });
});
