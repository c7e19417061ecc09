// Retention through the WebSocket API on a real server and database: who may set
// auto-delete and the disappearing timer, the announcement, bad values, a disappearing
// message expiring (the server clock moved forward, tests/harness.ts `clock`), old
// messages auto-deleted, the sweeper picking up after a restart, a media blob removed
// once the last message using it expired — and nothing else touched.
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { databaseFile } from "../src/config/paths.ts";
import { limits } from "../src/limits.ts";
import { collectMediaGarbage } from "../src/media/gc.ts";
import { type MediaPerson as Person, startMediaServer, uploadBytes } from "./support/media.ts";
import { startRetentionSweeper, sweepRetention } from "../src/messages/expire.ts";
import type { Deps } from "../src/core/deps.ts";
import { connectClient } from "./support/harness.ts";

setDefaultTimeout(60_000);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
let n = 0;
const cid = () => `r${++n}`;
const DAY = 86_400_000;

type Server = Awaited<ReturnType<typeof startMediaServer>>;
async function withServer(f: (s: Server, clock: { offsetMs: number }) => Promise<void>, dir?: string) {
  const clock = { offsetMs: 0 };
  const s = await startMediaServer({ clock, dir });
  try {
    await f(s, clock);
  } finally {
    await s.stop();
  }
}

async function group(owner: Person, others: Person[], title = "Team 🌿") {
  const { entry } = await owner.request<any>("chat.create", { kind: "group", clientId: cid(), title, memberIds: others.map((p) => p.id) });
  return entry.chat.id as string;
}
const send = async (p: Person, chatId: string, text: string) => (await p.request<any>("message.send", { chatId, clientId: cid(), text })).message;
const list = async (p: Person, chatId: string) => (await p.request<any>("message.list", { chatId, anchor: "latest", direction: "before" })).messages as any[];

/** The raw rows, read beside the server: what "gone from the database" means. */
function rows(s: { t: { deps: Deps } }, sql: string, ...args: string[]): any[] {
  const db = new Database(databaseFile(s.t.deps.config), { readonly: true });
  try {
    return db.query(sql).all(...args);
  } finally {
    db.close();
  }
}

describe("retention settings", () => {
  test("admins and the owner set them in a group, members may not; everyone hears who did; bad values are invalid_field", async () => {
    await withServer(async (s) => {
      const [ada, bo, cy, out] = [await s.person("ada"), await s.person("bo"), await s.person("cy"), await s.person("out")];
      const chatId = await group(ada, [bo, cy]);
      await ada.request("member.promote", { chatId, userId: bo.id });
      expect(await cy.code("chat.set_retention", { chatId, disappearSeconds: 60 })).toBe("forbidden");
      expect(await out.code("chat.set_retention", { chatId, disappearSeconds: 60 })).toBe("not_found");
      const { chat } = await bo.request<any>("chat.set_retention", { chatId, disappearSeconds: 86_400 });
      expect([chat.disappearSeconds, chat.autoDeleteDays]).toEqual([86_400, undefined]);
      for (const p of [ada, bo, cy]) {
        const e = await p.event<any>("chat.retention_changed", (d) => d.chat.id === chatId);
        expect([e.by, e.disappearSeconds, "autoDeleteDays" in e]).toEqual([bo.id, 86_400, false]);
      }
      await out.barrier();
      expect(out.seen("chat.retention_changed")).toEqual([]);
      await ada.request("chat.set_retention", { chatId, autoDeleteDays: 30 });
      expect((await cy.request<any>("chat.get", { chatId })).chat).toMatchObject({ autoDeleteDays: 30, disappearSeconds: 86_400 });
      // a fresh connection's welcome snapshot shows both
      const fresh = await connectClient(s.t, cy.tokens);
      const welcome = await fresh.connect();
      fresh.close();
      const entry = (welcome.snapshot?.chats as any).chats.find((c: any) => c.chat.id === chatId);
      expect(entry.chat).toMatchObject({ autoDeleteDays: 30, disappearSeconds: 86_400 });
      // null turns one off and leaves the other
      const off = await ada.request<any>("chat.set_retention", { chatId, disappearSeconds: null });
      expect([off.chat.disappearSeconds, off.chat.autoDeleteDays]).toEqual([undefined, 30]);
      const bad = [
        { disappearSeconds: 0 },
        { disappearSeconds: limits.messageDisappearSecondsMin - 1 },
        { disappearSeconds: limits.messageDisappearSecondsMax + 1 },
        { autoDeleteDays: 0 },
        { autoDeleteDays: -1 },
        { autoDeleteDays: limits.chatAutoDeleteDaysMax + 1 },
        {},
      ];
      for (const b of bad) expect(await ada.code("chat.set_retention", { chatId, ...b })).toBe("invalid_field");
      expect(await ada.code("chat.set_retention", { chatId, autoDeleteDays: 1.5 })).toBe("invalid_field"); // the schema's integer
      expect(await ada.code("chat.set_retention", { chatId, disappearSeconds: "1h" })).toBe("invalid_field");
      const err = await ada.request("chat.set_retention", { chatId, disappearSeconds: 1 }).catch((e) => e);
      expect(err.data).toMatchObject({ field: "disappearSeconds" });
      expect(err.data.reason).toContain(String(limits.messageDisappearSecondsMax));
      expect(await ada.code("chat.set_retention", { chatId, autoDeleteDays: limits.chatAutoDeleteDaysMax })).toBe("ok");
    });
  });

  test("in a direct chat either person sets the timer", async () => {
    await withServer(async (s) => {
      const [ada, bo] = [await s.person("ada"), await s.person("bo")];
      const chatId = (await ada.request<any>("chat.create", { kind: "direct", userId: bo.id })).entry.chat.id;
      expect(await bo.code("chat.set_retention", { chatId, disappearSeconds: 3600 })).toBe("ok");
      expect(await ada.code("chat.set_retention", { chatId, autoDeleteDays: 7 })).toBe("ok");
      expect((await ada.event<any>("chat.retention_changed", (d) => d.by === bo.id)).disappearSeconds).toBe(3600);
    });
  });
});

describe("the retention sweeper", () => {
  test("a disappearing message goes at its stamped time, as a delete for everyone; a later timer change does not move it", async () => {
    await withServer(async (s, clock) => {
      const [ada, bo] = [await s.person("ada"), await s.person("bo")];
      const chatId = await group(ada, [bo]);
      const other = await group(ada, [bo], "Other");
      await ada.request("chat.set_retention", { chatId, disappearSeconds: 30 });
      const gone = await send(ada, chatId, "this disappears 💨");
      expect(gone.expiresAt).toBe(gone.createdAt + 30_000);
      await bo.request("reaction.toggle", { chatId, messageId: gone.id, emoji: "👍" });
      await ada.request("message.pin", { chatId, messageId: gone.id });
      await ada.request("message.edit", { chatId, messageId: gone.id, text: "this disappears, edited" });
      await ada.request("chat.set_retention", { chatId, disappearSeconds: 3600 }); // later messages only
      const later = await send(bo, chatId, "sent under the 1 h timer");
      await ada.request("chat.set_retention", { chatId, disappearSeconds: null });
      const kept = await send(bo, chatId, "no timer: stays");
      const elsewhere = await send(ada, other, "another chat");
      expect((await list(ada, chatId)).find((m) => m.id === gone.id).expiresAt).toBe(gone.createdAt + 30_000);
      expect(later.expiresAt).toBe(later.createdAt + 3_600_000);
      expect(kept.expiresAt).toBeUndefined();

      expect(await sweepRetention(s.deps)).toBe(0); // nothing due yet
      clock.offsetMs = 31_000;
      expect(await sweepRetention(s.deps)).toBe(1);
      const d = await bo.event<any>("message.deleted", (x) => x.messageId === gone.id);
      expect([d.forEveryone, d.chatId, d.senderId]).toEqual([true, chatId, ada.id]);
      await Promise.all([ada.barrier(), bo.barrier()]);
      expect([...ada.seen<any>("message.deleted"), ...bo.seen<any>("message.deleted")].map((x) => x.messageId)).toEqual([gone.id, gone.id]);
      const after = await list(bo, chatId);
      expect(after.find((m) => m.id === gone.id)).toMatchObject({ text: "", entities: [], deletedAt: expect.any(Number) });
      expect(after.filter((m) => m.deletedAt === null).map((m) => m.text)).toEqual(["sent under the 1 h timer", "no timer: stays"]);
      expect((await list(bo, other)).map((m) => [m.id, m.deletedAt])).toEqual([[elsewhere.id, null]]);
      expect((await ada.request<any>("message.list_pinned", { chatId })).pins).toEqual([]);
      // gone from the database, not hidden: only the row's place (id, seq, sender, time) is left
      const [row] = rows(s, "SELECT text, entities, reply_to_id, expires_at, deleted_by FROM messages WHERE id = ?", gone.id);
      expect(row).toEqual({ text: "", entities: "[]", reply_to_id: null, expires_at: null, deleted_by: null });
      for (const t of ["message_edits", "message_reactions", "message_pins", "message_mentions", "message_media"]) {
        expect(rows(s, `SELECT 1 FROM ${t} WHERE message_id = ?`, gone.id)).toEqual([]);
      }
      clock.offsetMs = 3_601_000;
      expect(await sweepRetention(s.deps)).toBe(1);
      expect((await list(bo, chatId)).filter((m) => m.deletedAt === null).map((m) => m.id)).toEqual([kept.id]);
    });
  });

  test("auto-delete removes messages older than the chat's N days, in this chat only", async () => {
    await withServer(async (s, clock) => {
      const [ada, bo] = [await s.person("ada"), await s.person("bo")];
      const chatId = await group(ada, [bo]);
      const other = await group(ada, [bo], "No auto-delete");
      clock.offsetMs = -10 * DAY; // sent ten days ago
      const old = [await send(ada, chatId, "old 1"), await send(bo, chatId, "old 2 with @all? no")];
      const oldElsewhere = await send(ada, other, "old, elsewhere");
      clock.offsetMs = -6 * DAY;
      const recent = await send(bo, chatId, "six days old");
      clock.offsetMs = 0;
      expect(await bo.code("chat.set_retention", { chatId, autoDeleteDays: 7 })).toBe("forbidden"); // a member
      expect(await sweepRetention(s.deps)).toBe(0);
      await ada.request("chat.set_retention", { chatId, autoDeleteDays: 7 });
      expect(await sweepRetention(s.deps)).toBe(2);
      await bo.barrier();
      expect(bo.seen<any>("message.deleted").map((d) => d.messageId).sort()).toEqual(old.map((m) => m.id).sort());
      expect((await list(bo, chatId)).filter((m) => m.deletedAt === null).map((m) => m.id)).toEqual([recent.id]);
      expect((await list(bo, other)).map((m) => m.deletedAt)).toEqual([null]);
      expect((await list(bo, other)).map((m) => m.id)).toEqual([oldElsewhere.id]);
      clock.offsetMs = 1.5 * DAY; // now the six-day-old one is past seven
      expect(await sweepRetention(s.deps)).toBe(1);
      expect(await sweepRetention(s.deps)).toBe(0);
    });
  });

  test("batches are bounded: more due messages than one batch all go in one sweep", async () => {
    await withServer(async (s, clock) => {
      const ada = await s.person("ada");
      const chatId = await group(ada, []);
      await ada.request("chat.set_retention", { chatId, disappearSeconds: limits.messageDisappearSecondsMin });
      const count = limits.retentionSweepBatchMax + 3;
      for (let i = 0; i < count; i++) await send(ada, chatId, `m${i}`);
      clock.offsetMs = limits.messageDisappearSecondsMin * 1000 + 1000;
      expect(await sweepRetention(s.deps)).toBe(count);
      expect(rows(s, "SELECT count(*) AS n FROM messages WHERE chat_id = ? AND deleted_at IS NULL", chatId)).toEqual([{ n: 0 }]);
      expect(s.deps.metrics.render()).toContain(`hearth_retention_deleted_total ${count}`);
    });
  });

  test("the running sweeper purges at start-up what came due while the server was down", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hearth-ret-"));
    dirs.push(dir);
    const clock = { offsetMs: 0 };
    const s = await startMediaServer({ clock, dir });
    let stop = startRetentionSweeper(s.deps, 20);
    try {
      const [ada, bo] = [await s.person("ada"), await s.person("bo")];
      const chatId = await group(ada, [bo]);
      await ada.request("chat.set_retention", { chatId, disappearSeconds: 60 });
      const m = await send(ada, chatId, "expires while the server is down");
      stop();
      await s.t.restart();
      clock.offsetMs = 61_000;
      stop = startRetentionSweeper(s.t.deps, 60_000); // only its start-up sweep can act in this test
      const d = await bo.event<any>("message.deleted", (x) => x.messageId === m.id); // bo's client reconnects and catches up
      expect(d.forEveryone).toBe(true);
      expect(rows(s, "SELECT text FROM messages WHERE id = ?", m.id)).toEqual([{ text: "" }]);
    } finally {
      stop();
      await s.stop();
    }
  });

  test("a file's blob is removed by the media GC once the last message carrying it expired", async () => {
    await withServer(async (s, clock) => {
      const [ada, bo] = [await s.person("ada"), await s.person("bo")];
      const a = await group(ada, [bo], "Short timer");
      const b = await group(ada, [bo], "Long timer");
      await ada.request("chat.set_retention", { chatId: a, disappearSeconds: 10 });
      await ada.request("chat.set_retention", { chatId: b, disappearSeconds: 120 });
      const bytes = new TextEncoder().encode("a photo that disappears");
      const media = await uploadBytes(s.url, ada.token, bytes);
      const keepBytes = new TextEncoder().encode("a file in a chat without a timer");
      const keep = await uploadBytes(s.url, ada.token, keepBytes);
      const first = (await ada.request<any>("message.send", { chatId: a, clientId: cid(), text: "", attachments: [media.id] })).message;
      await ada.request("message.forward", { chatId: b, clientId: cid(), fromChatId: a, messageId: first.id });
      const plain = await group(ada, [bo], "Plain");
      await ada.request("message.send", { chatId: plain, clientId: cid(), text: "", attachments: [keep.id] });
      const sha = (x: Uint8Array) => new Bun.CryptoHasher("sha256").update(x).digest("hex");
      const blob = (x: Uint8Array) => join(s.t.dir, "media", sha(x).slice(0, 2), sha(x).slice(2));
      const gc = async () => {
        await collectMediaGarbage(s.deps);
        await collectMediaGarbage(s.deps);
      };
      clock.offsetMs = 11_000;
      expect(await sweepRetention(s.deps)).toBe(1);
      await gc();
      expect(existsSync(blob(bytes))).toBe(true); // the forward in the other chat still carries it
      clock.offsetMs = 121_000;
      expect(await sweepRetention(s.deps)).toBe(1);
      await gc();
      expect(existsSync(blob(bytes))).toBe(false);
      expect(await s.deps.storage.media.media(media.id)).toBeNull();
      expect(existsSync(blob(keepBytes))).toBe(true);
    });
  });
});
