// Messages waiting to be sent. Each keeps the client id it was written with, so every
// retry (after a lost answer, a reconnect, a reload) is the same send to the server,
// which stores a (chat, sender, clientId) once: written offline, sent exactly once.
// Storage is a port: IndexedDB in the browser (./outbox-idb.ts), a Map in unit tests.
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import type { OutboxAttachment } from "../media/outbox-media.ts";

export interface OutboxItem {
  clientId: string;
  userId: string;
  chatId: string;
  text: string;
  replyToId?: string;
  attachments?: OutboxAttachment[]; // files to upload first (blobs in IndexedDB, media/outbox-media.ts)
  preview?: { url: string } | null; // the link preview the sender kept
  createdAt: number;
  state: "pending" | "failed";
  error?: string;
}

export interface OutboxStore {
  all(): Promise<OutboxItem[]>;
  put(item: OutboxItem): Promise<void>;
  remove(clientId: string): Promise<void>;
}

export type SendFn = (item: OutboxItem) => Promise<WireMessage>;

/** Errors that say "try again later" (the item stays pending); any other marks it failed. */
const transient = new Set(["disconnected", "timeout", "unavailable", "internal", "rate_limited", "closed", "network"]);
export const isTransient = (code: string | undefined): boolean => code === undefined || transient.has(code);

export class Outbox {
  private items = new Map<string, OutboxItem>();
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly store: OutboxStore,
    private readonly onChange: (items: OutboxItem[]) => void = () => {},
    private readonly onSent: (m: WireMessage) => void = () => {},
    private readonly onRemoved: (item: OutboxItem) => void = () => {},
  ) {}

  async load(userId: string): Promise<void> {
    for (const item of await this.store.all()) if (item.userId === userId) this.items.set(item.clientId, item);
    this.changed();
  }

  list(): OutboxItem[] {
    return [...this.items.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  async add(item: Omit<OutboxItem, "state">): Promise<void> {
    const full: OutboxItem = { ...item, state: "pending" };
    this.items.set(full.clientId, full);
    this.changed();
    await this.store.put(full);
  }

  /** The message arrived (its event or the send's answer): the item is done. */
  async delivered(clientId: string): Promise<void> {
    const item = this.items.get(clientId);
    if (!item || !this.items.delete(clientId)) return;
    this.onRemoved(item);
    this.changed();
    await this.store.remove(clientId);
  }

  async discard(clientId: string): Promise<void> {
    return this.delivered(clientId);
  }

  async retry(clientId: string, send: SendFn): Promise<void> {
    const item = this.items.get(clientId);
    if (!item) return;
    await this.update({ ...item, state: "pending", error: undefined });
    await this.flush(send);
  }

  /** Sends pending items in the order they were written; one flush at a time. */
  flush(send: SendFn): Promise<void> {
    this.flushing ??= this.drain(send).finally(() => (this.flushing = null));
    return this.flushing;
  }

  // Picks the oldest pending item afresh each turn: an item written while a send is in flight
  // joins this drain (its own flush() only gets the running promise back), else it would wait
  // for the next reconnect.
  private async drain(send: SendFn): Promise<void> {
    const tried = new Set<string>();
    for (;;) {
      const item = this.list().find((i) => i.state === "pending" && !tried.has(i.clientId));
      if (!item) return;
      tried.add(item.clientId);
      try {
        const message = await send(item);
        this.onSent(message);
        await this.delivered(item.clientId);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (isTransient(code)) return; // offline or server trouble: keep the order, retry on reconnect
        const current = this.items.get(item.clientId);
        if (current) await this.update({ ...current, state: "failed", error: code });
      }
    }
  }

  /** Keeps progress of an item being sent (its uploads); an item discarded meanwhile stays gone. */
  async save(item: OutboxItem): Promise<void> {
    if (!this.items.has(item.clientId)) return;
    await this.update(item);
  }

  get(clientId: string): OutboxItem | undefined {
    return this.items.get(clientId);
  }

  private async update(item: OutboxItem): Promise<void> {
    this.items.set(item.clientId, item);
    this.changed();
    await this.store.put(item);
  }

  private changed(): void {
    this.onChange(this.list());
  }
}

export function memoryOutboxStore(): OutboxStore {
  const m = new Map<string, OutboxItem>();
  return {
    all: async () => [...m.values()].map((i) => ({ ...i })),
    put: async (i) => void m.set(i.clientId, { ...i }),
    remove: async (id) => void m.delete(id),
  };
}
