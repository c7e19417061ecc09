// Durability under SIGKILL: the server runs as a child process; several real clients
// (src/client) send into one group with client ids, concurrently, while the server is
// killed at random moments and restarted on the same port and data dir. At the end:
// every acknowledged message is stored exactly once, every abandoned (unacknowledged)
// client id at most once, and each client's event stream — across every reconnect —
// is gap-free, duplicate-free, resumed (never reset to a snapshot) and complete.
// HEARTH_CRASH_CYCLES sets the number of kills (default 20).
import { freePort } from "./support/cli.ts";
import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tokenAuth } from "../src/client/auth.ts";
import { createClient, type HearthClient } from "../src/client/client.ts";
import type { AuthTokens } from "../src/protocol/http.ts";
import { createTestUser, type ServerProcess, startServerProcess, until } from "./support/harness.ts";
import { seededRng } from "./support/seed.ts";

const random = seededRng("crash test");

const CYCLES = Number(process.env.HEARTH_CRASH_CYCLES ?? 20);
const SENDERS = 4;
const IN_FLIGHT = 3; // concurrent sends per client
const ARGS = ["--set", "accounts.registration=open"];

interface Sender {
  userId: string;
  client: HearthClient;
  ids: number[]; // every event id its handlers saw, in order
  snapshots: number; // welcomes that reset state (1 = only the first)
  firstId: number;
  acked: Set<string>;
  abandoned: Set<string>;
}

function sender(url: { url: string; wsUrl: string }, tokens: AuthTokens): Sender {
  const s: Sender = { userId: tokens.userId, client: null!, ids: [], snapshots: 0, firstId: 0, acked: new Set(), abandoned: new Set() };
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
  s.client.on("*", (_d, e) => void s.ids.push(e.id));
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

test(`${CYCLES} SIGKILLs while clients send: acknowledged messages stored once, event streams gap-free`, async () => {
  const dir = mkdtempSync(join(tmpdir(), "hearth-crash-"));
  const port = freePort();
  let p: ServerProcess = await startServerProcess(dir, { port, args: ARGS });
  const senders: Sender[] = [];
  try {
    const tokens = await Promise.all(Array.from({ length: SENDERS }, (_, i) => createTestUser(p, `crash${process.pid % 1000}u${i}`)));
    for (const t of tokens) senders.push(sender(p, t));
    await Promise.all(senders.map((s) => s.client.connect()));
    const created = (await senders[0]!.client.request("chat.create", {
      kind: "group",
      clientId: "crash-group",
      title: "crash",
      memberIds: tokens.slice(1).map((t) => t.userId),
    })) as { entry: { chat: { id: string } } };
    const chatId = created.entry.chat.id;

    let running = true;
    const lanes = senders.flatMap((s) => Array.from({ length: IN_FLIGHT }, (_, i) => lane(s, chatId, i, () => running)));
    for (let cycle = 0; cycle < CYCLES; cycle++) {
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
      expect(acked).toBeGreaterThan(CYCLES); // the test really sent through the crashes
      for (const [id, n] of stored) expect([id, n]).toEqual([id, 1]);
      // every client catches up to the end of its queue
      const lastOf = (userId: string) => (db.query("SELECT last_event_id AS id FROM event_queues WHERE user_id = ?").get(userId) as { id: number }).id;
      for (const s of senders) await until(() => s.ids.at(-1) === lastOf(s.userId), 15_000, `client ${s.userId} catches up`);
    } finally {
      db.close();
    }
    for (const s of senders) {
      expect(s.snapshots).toBe(1); // always resumed, never reset
      expect(s.ids).toEqual(Array.from({ length: s.ids.length }, (_, i) => s.firstId + 1 + i));
    }
  } finally {
    for (const s of senders) s.client.close();
    await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
