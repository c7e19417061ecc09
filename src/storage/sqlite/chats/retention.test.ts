// The retention sweep runs inside the writer every retentionSweepIntervalMs, so its queries
// must stay proportional to what is due, not to the database: the timer half walks a
// partial index, the auto-delete half the chats that have it on and, per chat, a range of
// messages_unread from its cursor — never a scan of all messages. Checked on the migrated
// schema, with statistics that make messages the big table (as in any real database), by
// SQLite's own plan.
import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { join } from "node:path";
import { openSqliteStorage } from "../storage.ts";
import { tempDir } from "../test-helpers.ts";
import { AUTO_DELETING, EXPIRED, OLDEST } from "./retention.ts";

test("the sweep's queries search by index: expiry by expires_at, auto-delete chats by their partial index, a chat's oldest by seq", async () => {
  const t = tempDir();
  try {
    const file = join(t.dir, "hearth.sqlite");
    const storage = await openSqliteStorage({ file, durability: "normal" });
    await storage.close();
    const db = new Database(file);
    try {
      const plan = (sql: string, ...args: unknown[]) => (db.query(`EXPLAIN QUERY PLAN ${sql}`).all(...(args as never[])) as { detail: string }[]).map((r) => r.detail);
      expect(plan(EXPIRED, Date.now(), 200)).toEqual([expect.stringContaining("SEARCH m USING INDEX messages_expiry")]);
      expect(plan(AUTO_DELETING)).toEqual([expect.stringContaining("SCAN c USING INDEX chats_auto_delete")]);
      expect(plan(OLDEST, "c", 0, 200)).toEqual([expect.stringContaining("SEARCH m USING INDEX messages_unread (chat_id=? AND seq>?)")]);
    } finally {
      db.close();
    }
  } finally {
    t.done();
  }
});
