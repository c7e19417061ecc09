// "rows per group message": durable rows one text message into the bench group writes,
// counted from the database itself — every table read before and after one acknowledged
// send through a read-only connection (WAL lets it read beside the running server), rows
// matched by primary key (rowid where a table has none), so an update counts once.
// Measured with only the sender connected, after its hello settled: what the send itself
// writes, not what the connection or receivers' acknowledgements write.
import { Database } from "bun:sqlite";

type Snapshot = Map<string, Map<string, string>>; // table → row key → row JSON

function snapshot(file: string): Snapshot {
  const db = new Database(file, { readonly: true });
  try {
    const out: Snapshot = new Map();
    const tables = db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
    for (const { name } of tables) {
      const q = `"${name.replaceAll('"', '""')}"`;
      const pk = (db.query(`PRAGMA table_info(${q})`).all() as { name: string; pk: number }[]).filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
      const rows = db.query(`SELECT ${pk.length ? "*" : "rowid AS __rowid, *"} FROM ${q}`).all() as Record<string, unknown>[];
      const key = (r: Record<string, unknown>) => JSON.stringify(pk.length ? pk.map((c) => r[c.name]) : r.__rowid);
      out.set(name, new Map(rows.map((r) => [key(r), JSON.stringify(r, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v))])));
    }
    return out;
  } finally {
    db.close();
  }
}

export interface RowCount {
  total: number;
  perTable: Record<string, { inserted: number; updated: number; deleted: number }>;
}

function diff(a: Snapshot, b: Snapshot): RowCount {
  const perTable: RowCount["perTable"] = {};
  let total = 0;
  for (const [table, after] of b) {
    const before = a.get(table) ?? new Map();
    const c = { inserted: 0, updated: 0, deleted: 0 };
    for (const [k, v] of after) {
      const old = before.get(k);
      if (old === undefined) c.inserted++;
      else if (old !== v) c.updated++;
    }
    for (const k of before.keys()) if (!after.has(k)) c.deleted++;
    const n = c.inserted + c.updated + c.deleted;
    if (n) perTable[table] = c;
    total += n;
  }
  return { total, perTable };
}

/** Rows written by `act` (one acknowledged send), after `settleMs` for post-commit writes. */
export async function rowsWritten(file: string, act: () => Promise<void>, settleMs = 500): Promise<RowCount> {
  const before = snapshot(file);
  await act();
  await Bun.sleep(settleMs);
  return diff(before, snapshot(file));
}
