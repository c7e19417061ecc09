// The outbox kept in IndexedDB, so messages written offline survive a reload or a closed tab.
import { run } from "./idb.ts";
import type { OutboxItem, OutboxStore } from "./outbox.ts";

export function idbOutboxStore(): OutboxStore {
  return {
    all: () => run("outbox", "readonly", (s) => s.getAll() as IDBRequest<OutboxItem[]>),
    put: async (item) => void (await run("outbox", "readwrite", (s) => s.put(item))),
    remove: async (id) => void (await run("outbox", "readwrite", (s) => s.delete(id))),
  };
}
