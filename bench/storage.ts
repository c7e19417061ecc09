// Storage write throughput: durable single-message writes through the port (each one
// awaited = acknowledged after its group commit) with 100 concurrent writers, next to a
// raw bun:sqlite loop inserting the same event rows (autocommit, then one transaction).
// Prints figures; asserts nothing. Run: bun bench/storage.ts
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newId } from "../src/ids.ts";
import { openAndMigrate } from "../src/storage/sqlite/migrate.ts";
import { migrations } from "../src/storage/sqlite/migrations.gen.ts";
import type { Durability } from "../src/storage/sqlite/open.ts";
import { openSqliteStorage } from "../src/storage/sqlite/storage.ts";

const ROWS = 50_000;
const WRITERS = 100;
const USERS = 1000;

function payload(i: number) {
  const text = `message number ${i}: the quick brown fox jumps over the lazy dog, twice over.`;
  return { chatId: "01JCHAT0000000000000000000", message: { id: newId(), seq: i, senderId: "01JUSER0000000000000000000", text, createdAt: Date.now() } };
}

async function viaPort(dir: string, durability: Durability): Promise<number> {
  const s = await openSqliteStorage({ file: join(dir, `port-${durability}.sqlite`), durability });
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < ROWS) {
        const i = next++;
        await s.events.append([{ to: [`u${i % USERS}`], type: "message.created", data: payload(i) }]);
      }
    }),
  );
  const ms = performance.now() - start;
  await s.close();
  return (ROWS / ms) * 1000;
}

function raw(dir: string, oneTransaction: boolean): number {
  const { db } = openAndMigrate({ file: join(dir, `raw-${oneTransaction}.sqlite`), durability: "normal", migrations });
  const insert = db.query("INSERT INTO events (user_id, id, type, data, at) VALUES (?, ?, ?, ?, ?)");
  const start = performance.now();
  const loop = () => {
    for (let i = 0; i < ROWS; i++) insert.run(`u${i % USERS}`, Math.floor(i / USERS) + 1, "message.created", JSON.stringify(payload(i)), Date.now());
  };
  if (oneTransaction) db.transaction(loop)();
  else loop();
  const ms = performance.now() - start;
  db.close();
  return (ROWS / ms) * 1000;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US").padStart(9);

export async function benchStorage(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "hearth-bench-storage-"));
  try {
    const bytes = JSON.stringify(payload(12345)).length;
    console.log(`storage: ${ROWS.toLocaleString("en-US")} events.append (1 recipient, ~${bytes} B JSON), ${WRITERS} concurrent writers`);
    const normal = await viaPort(dir, "normal");
    const full = await viaPort(dir, "full");
    const auto = raw(dir, false);
    const txn = raw(dir, true);
    console.log(`  port, durability=normal (ack after group commit) ${fmt(normal)} rows/s`);
    console.log(`  port, durability=full   (ack after group commit) ${fmt(full)} rows/s`);
    console.log(`  raw bun:sqlite INSERT, autocommit (normal)       ${fmt(auto)} rows/s   port/raw = ${(normal / auto).toFixed(2)}x`);
    console.log(`  raw bun:sqlite INSERT, one transaction (normal)  ${fmt(txn)} rows/s   port/raw = ${(normal / txn).toFixed(2)}x`);
    console.log("  (the port also upserts the per-user queue head for every row; raw inserts only the event rows)");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await benchStorage();
