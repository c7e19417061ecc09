// The app's IndexedDB database: `outbox` (messages waiting to be sent), `blobs` (their files)
// and `cache` (the last state seen, per user, so the app shows chats while offline). One open connection per tab.
const DB = "hearth";
const VERSION = 3;
export type StoreName = "outbox" | "cache" | "blobs";

let db: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, VERSION);
    req.onupgradeneeded = () => {
      const names = req.result.objectStoreNames;
      if (!names.contains("outbox")) req.result.createObjectStore("outbox", { keyPath: "clientId" });
      if (!names.contains("cache")) req.result.createObjectStore("cache", { keyPath: "userId" });
      if (!names.contains("blobs")) req.result.createObjectStore("blobs", { keyPath: "localId" }); // files of outbox items
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export async function run<T>(store: StoreName, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const conn = await (db ??= open());
  return new Promise((resolve, reject) => {
    const tx = conn.transaction(store, mode);
    const req = fn(tx.objectStore(store));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error);
  });
}
