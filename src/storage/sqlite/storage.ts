// The SQLite adapter of the storage port. One connection: reads run directly through
// cached prepared statements; every write goes through the group-commit Writer.
// drizzle defines the schema and generates migrations (schema.ts); queries are
// hand-written SQL because ops must be plain synchronous functions inside the writer's
// savepoints, and raw prepared statements measured 2-4x faster than drizzle's builder.
import { statfsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { limits } from "../../limits.ts";
import type { Logger } from "../../log/port.ts";
import type { Storage } from "../port.ts";
import { accountStore } from "./accounts.ts";
import { callStore } from "./calls/store.ts";
import { chatStore } from "./chats/chats.ts";
import { messageStore } from "./chats/messages.ts";
import { chatLogStore } from "./chat-log.ts";
import { eventStore } from "./events.ts";
import { metaStore } from "./meta.ts";
import { presenceStore } from "./presence/store.ts";
import { pushStore } from "./push/store.ts";
import { previewStore } from "./previews/store.ts";
import { mediaStore } from "./media/store.ts";
import { adminStore } from "./admin/store.ts";
import { deletionStore } from "./deletions.ts";
import { openAndMigrate, type Migration } from "./migrate.ts";
import { migrations as bundledMigrations } from "./migrations.gen.ts";
import type { Durability } from "./open.ts";
import type { TotpBox } from "../../secrets/totp-box.ts";
import { sessionStore } from "./sessions.ts";
import { resealTotpSecrets } from "./totp-at-rest.ts";
import type { Ctx } from "./tx.ts";
import { userStore } from "./users.ts";
import { Writer } from "./writer.ts";

export interface SqliteStorageOpts {
  file: string;
  durability: Durability;
  /** Schema history to apply; defaults to the one compiled into this binary. */
  migrations?: readonly Migration[];
  log?: Logger;
  now?: () => number;
  /** Seals TOTP secrets at rest; without it (tests, benches) they are stored as given. */
  totpBox?: TotpBox;
}

export async function openSqliteStorage(opts: SqliteStorageOpts): Promise<Storage> {
  const migrations = opts.migrations ?? bundledMigrations;
  const { db } = openAndMigrate({ file: opts.file, durability: opts.durability, migrations, log: opts.log });
  if (opts.totpBox) {
    try {
      resealTotpSecrets(db, opts.totpBox, opts.log);
    } catch (err) {
      db.close();
      throw err;
    }
  }
  const writer = new Writer(
    db,
    { windowMs: limits.writeBatchWindowMs, batchOpsMax: limits.writeBatchOpsMax, queueOpsMax: limits.writeQueueOpsMax },
    opts.log,
  );
  const ctx: Ctx = { db, writer, now: opts.now ?? Date.now, totpBox: opts.totpBox };
  let closing: Promise<void> | null = null;
  return {
    dialect: "sqlite",
    users: userStore(ctx),
    sessions: sessionStore(ctx),
    accounts: accountStore(ctx),
    events: eventStore(ctx),
    chatLog: chatLogStore(ctx),
    meta: metaStore(ctx, migrations),
    chats: chatStore(ctx),
    messages: messageStore(ctx),
    previews: previewStore(ctx),
    presence: presenceStore(ctx),
    calls: callStore(ctx),
    push: pushStore(ctx),

    media: mediaStore(ctx),
    admin: adminStore(ctx),
    deletions: deletionStore(ctx),
    async ready() {
      const notReady = storageFault(opts.file, writer);
      if (notReady) {
        opts.log?.warn("storage not ready", { error: notReady });
        return false;
      }
      try {
        db.query("SELECT count(*) FROM __drizzle_migrations").get();
        await writer.run((tx) => tx.query("INSERT INTO settings (key, value) VALUES ('ready_probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(ctx.now())));
        return true;
      } catch (e) {
        opts.log?.warn("storage not ready", { error: (e as Error).message });
        return false;
      }
    },
    close() {
      closing ??= writer.close().then(() => db.close());
      return closing;
    },
  };
}

/** Why the database cannot be trusted to take writes right now, seen without writing; null if nothing is known. */
function storageFault(file: string, writer: Writer): string | null {
  const since = Date.now() - writer.lastStorageFaultAt;
  if (since < limits.storageFaultNotReadyMs) return `a write failed ${Math.round(since / 1000)} s ago`;
  try {
    const fs = statfsSync(dirname(resolve(file)));
    const free = fs.bavail * fs.bsize;
    if (free < limits.storageFreeBytesMin) return `${free} bytes free on the database's filesystem (below ${limits.storageFreeBytesMin})`;
  } catch {
    // no statfs here (or no such dir): the probe write decides
  }
  return null;
}
