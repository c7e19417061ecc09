// Durability under SIGKILL: the server runs as a child process; several real clients
// (src/client) send into one group with client ids, concurrently, while the server is
// killed at random moments and restarted on the same port and data dir. At the end:
// every acknowledged message is stored exactly once, every abandoned (unacknowledged)
// client id at most once, and each client's event stream — across every reconnect —
// is gap-free, duplicate-free, resumed (never reset to a snapshot) and complete: the
// user log by event id, the group's chat log by position (a chat_reset only where the
// client came back more than limits.chatDifferenceMax changes behind, as designed).
// It runs twice: a 4-member group, and a 1,000-member group (996 members written into
// storage before the first start, added through member.add) so each send is a chat-log
// append whatever the member count.
// HEARTH_CRASH_CYCLES sets the number of kills (default 20; 10 for the big group).
import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tokenAuth } from "../src/client/auth.ts";
import { createClient, type HearthClient } from "../src/client/client.ts";
import type { AuthTokens } from "../src/protocol/http.ts";
import { openSqliteStorage } from "../src/storage/sqlite/storage.ts";
import { freePort } from "./support/cli.ts";
import { createTestUser, type ServerProcess, startServerProcess, until } from "./support/harness.ts";
import { seededRng } from "./support/seed.ts";
import { seedUsers } from "./chat-logs-support.ts";
import { limits } from "../src/limits.ts";

const random = seededRng("crash test");

const CYCLES = Number(process.env.HEARTH_CRASH_CYCLES ?? 20);
const SENDERS = 4;
const IN_FLIGHT = 3; // concurrent sends per client
const ARGS = ["--set", "accounts.registration=open"];

interface Sender {
  userId: string;
  client: HearthClient;
  ids: number[]; // every user-log event id its handlers saw, in order
  positions: Map<string, number[]>; // chatId → every chat-log position its handlers saw, in order
  joinedAt: Map<string, number>; // chatId → the position it started following from
  resets: { at: number; from: number; to: number }[]; // chat_reset: index into positions, last position held, the reset's pos
  snapshots: number; // welcomes that reset state (1 = only the first)
  firstId: number;
  acked: Set<string>;
  abandoned: Set<string>;
}

function sender(url: { url: string; wsUrl: string }, tokens: AuthTokens): Sender {
  const s: Sender = {
    userId: tokens.userId,
    client: null!,
    ids: [],
    positions: new Map(),
    joinedAt: new Map(),
    resets: [],
    snapshots: 0,
    firstId: 0,
    acked: new Set(),
    abandoned: new Set(),
  };
  s.client = createClient({
    url: url.wsUrl,
    auth: tokenAuth(url.url, tokens),
    backoffBaseMs: 20,
    backoffMaxMs: 200,
    callTimeoutMs: 3000,
    ackDelayMs: 20,
    onSnapshot: (_snap, w) => {
      if (s.snapshots++ === 0) s.firstId = w.lastEventId;
    },
  });
  s.client.on("*", (d, e) => {
    const c = e as unknown as { id?: number; chatId?: string; pos?: number };
    if (c.chatId !== undefined && c.pos !== undefined && !c.id) {
      const log = s.positions.get(c.chatId) ?? [];
      log.push(c.pos);
      s.positions.set(c.chatId, log);
      return;
    }
    s.ids.push(e.id);
    const j = d as { pos?: number; entry?: { chat: { id: string }; pos?: number } };
    if ((e.type === "chat.joined" || e.type === "chat.created") && j.entry) s.joinedAt.set(j.entry.chat.id, j.pos ?? j.entry.pos ?? 0);
  });
  // A client that comes back more than chatDifferenceMax changes behind (others sent while it
  // reconnected) is reset by design; the stream then continues from the reset's pos.
  s.client.onChatReset((r) => {
    const log = s.positions.get(r.chatId) ?? [];
    s.resets.push({ at: log.length, from: log.at(-1) ?? s.joinedAt.get(r.chatId) ?? 0, to: r.pos });
    s.positions.set(r.chatId, log);
  });
  return s;
}

/** One sending lane: each client id is sent until acknowledged, or (half the time, after a failure) abandoned. */
async function lane(s: Sender, chatId: string, lane: number, running: () => boolean): Promise<void> {
  let k = 0;
  let clientId = `${s.userId}-${lane}-${k}`;
  while (running()) {
    if (s.client.status !== "open") {
      await Bun.sleep(10);
      continue;
    }
    try {
      await s.client.request("message.send", { chatId, clientId, text: `m ${clientId}` });
      s.acked.add(clientId);
      s.abandoned.delete(clientId);
      clientId = `${s.userId}-${lane}-${++k}`;
    } catch {
      if (random() < 0.5) {
        s.abandoned.add(clientId); // never retried: may or may not have been stored
        clientId = `${s.userId}-${lane}-${++k}`;
      }
    }
  }
}

/** Users written into the data dir's storage before the server first starts (offline members). */
async function seedMembers(dir: string, n: number): Promise<string[]> {
  if (n <= 0) return [];
  const storage = await openSqliteStorage({ file: join(dir, "hearth.sqlite"), durability: "normal" });
  try {
    return await seedUsers(storage, n, `crash${process.pid % 1000}m`);
  } finally {
    await storage.close();
  }
}

async function crashRun(cycles: number, groupMembers: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "hearth-crash-"));
  const port = freePort();
  const offline = await seedMembers(dir, groupMembers - SENDERS);
  let p: ServerProcess = await startServerProcess(dir, { port, args: ARGS });
  const senders: Sender[] = [];
  try {
    const tokens = await Promise.all(Array.from({ length: SENDERS }, (_, i) => createTestUser(p, `crash${process.pid % 1000}u${groupMembers}x${i}`)));
    for (const t of tokens) senders.push(sender(p, t));
    await Promise.all(senders.map((s) => s.client.connect()));
    const created = (await senders[0]!.client.request("chat.create", {
      kind: "group",
      clientId: "crash-group",
      title: "crash",
      memberIds: tokens.slice(1).map((t) => t.userId),
    })) as { entry: { chat: { id: string }; pos?: number } };
    const chatId = created.entry.chat.id;
    if (!senders[0]!.joinedAt.has(chatId)) senders[0]!.joinedAt.set(chatId, created.entry.pos ?? 0);
    for (let i = 0; i < offline.length; i += 100) await senders[0]!.client.request("member.add", { chatId, userIds: offline.slice(i, i + 100) });

    let running = true;
    const lanes = senders.flatMap((s) => Array.from({ length: IN_FLIGHT }, (_, i) => lane(s, chatId, i, () => running)));
    for (let cycle = 0; cycle < cycles; cycle++) {
      await Bun.sleep(50 + random() * 400); // traffic, then a kill at a random moment
      await p.kill9();
      p = await startServerProcess(dir, { port, args: ARGS });
      await until(() => senders.every((s) => s.client.status === "open"), 20_000, "clients back");
    }
    await Bun.sleep(300);
    running = false;
    await Promise.all(lanes);

    const db = new Database(join(dir, "hearth.sqlite"), { readonly: true });
    try {
      expect((db.query("SELECT count(*) AS n FROM chat_members WHERE chat_id = ?").get(chatId) as { n: number }).n).toBe(groupMembers);
      const stored = new Map(
        (db.query("SELECT client_id, count(*) AS n FROM messages WHERE chat_id = ? GROUP BY client_id").all(chatId) as { client_id: string; n: number }[]).map(
          (r) => [r.client_id, r.n],
        ),
      );
      let acked = 0;
      for (const s of senders) {
        for (const id of s.acked) expect([id, stored.get(id)]).toEqual([id, 1]);
        for (const id of s.abandoned) expect(stored.get(id) ?? 0).toBeLessThanOrEqual(1);
        acked += s.acked.size;
      }
      expect(acked).toBeGreaterThan(cycles); // the test really sent through the crashes
      for (const [id, n] of stored) expect([id, n]).toEqual([id, 1]);
      // every client catches up to the end of its user log and of the group's chat log
      const lastOf = (userId: string) => (db.query("SELECT last_event_id AS id FROM event_queues WHERE user_id = ?").get(userId) as { id: number }).id;
      const head = (db.query("SELECT log_pos AS pos FROM chats WHERE id = ?").get(chatId) as { pos: number }).pos;
      for (const s of senders) await until(() => s.ids.at(-1) === lastOf(s.userId), 15_000, `client ${s.userId} catches up its user log`);
      for (const s of senders) await until(() => s.positions.get(chatId)?.at(-1) === head, 15_000, `client ${s.userId} catches up the chat to ${head}`);
    } finally {
      db.close();
    }
    for (const s of senders) {
      expect(s.snapshots).toBe(1); // always resumed, never a fresh snapshot
      expect(s.ids).toEqual(Array.from({ length: s.ids.length }, (_, i) => s.firstId + 1 + i));
      const from = s.joinedAt.get(chatId)!;
      expect(typeof from).toBe("number");
      // the chat log: contiguous from the join, except where a chat_reset took the client
      // from more than chatDifferenceMax behind straight to the reset's pos
      const got = s.positions.get(chatId)!;
      const want: number[] = [];
      let held = from;
      for (let i = 0; i < got.length; i++) {
        const r = s.resets.find((x) => x.at === i);
        if (r) {
          expect([r.from, r.to - r.from > limits.chatDifferenceMax]).toEqual([held, true]);
          held = r.to;
        }
        want.push(++held);
      }
      expect(got).toEqual(want);
    }
    console.log(`crash: ${cycles} kills, ${groupMembers}-member group, ${senders.reduce((n, s) => n + s.acked.size, 0)} acknowledged sends`);
  } finally {
    for (const s of senders) s.client.close();
    await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

test(`${CYCLES} SIGKILLs while clients send into a small group: acknowledged messages stored once, streams gap-free`, () => crashRun(CYCLES, SENDERS), 120_000);

const BIG_CYCLES = Number(process.env.HEARTH_CRASH_CYCLES ?? 10);
test(`${BIG_CYCLES} SIGKILLs while clients send into a 1,000-member group: the same, at any member count`, () => crashRun(BIG_CYCLES, 1000), 180_000);
