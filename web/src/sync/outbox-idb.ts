// The outbox kept in IndexedDB, so messages written offline survive a reload or a closed tab.
import type { OutboxItem, OutboxStore } from "./outbox.ts";

const DB = "hearth";
const STORE = "outbox";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "clientId" });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function run<T>(db: IDBDatabase, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = fn(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error);
  });
}

export function idbOutboxStore(): OutboxStore {
  let db: Promise<IDBDatabase> | null = null;
  const get = () => (db ??= open());
  return {
    all: async () => run(await get(), "readonly", (s) => s.getAll() as IDBRequest<OutboxItem[]>),
    put: async (item) => void (await run(await get(), "readwrite", (s) => s.put(item))),
    remove: async (id) => void (await run(await get(), "readwrite", (s) => s.delete(id))),
  };
}
