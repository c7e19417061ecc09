// The retention sweep runs inside the writer every retentionSweepIntervalMs, so its query
// must stay proportional to what is due, not to the database: each half walks a partial
// index, never a scan of all messages. Checked on the migrated schema, with statistics
// that make messages the big table (as in any real database), by SQLite's own plan.
import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { join } from "node:path";
import { openSqliteStorage } from "../storage.ts";
import { tempDir } from "../test-helpers.ts";
import { DUE } from "./retention.ts";

test("the due-message query searches by index: expiry by expires_at, auto-delete chat by chat", async () => {
  const t = tempDir();
  try {
    const file = join(t.dir, "hearth.sqlite");
    const storage = await openSqliteStorage({ file, durability: "normal" });
    await storage.close();
    const db = new Database(file);
    try {
      const plan = (db.query(`EXPLAIN QUERY PLAN ${DUE}`).all(Date.now(), 200) as { detail: string }[]).map((r) => r.detail);
      expect(plan.filter((d) => /\b(SCAN|SEARCH) m\b/.test(d))).toEqual([
        expect.stringContaining("SEARCH m USING INDEX messages_expiry"),
        expect.stringContaining("SEARCH m USING INDEX messages_chat_created (chat_id=? AND created_at<?)"),
      ]);
      expect(plan.some((d) => d.includes("SCAN c USING INDEX chats_auto_delete"))).toBe(true);
    } finally {
      db.close();
    }
  } finally {
    t.done();
  }
});
