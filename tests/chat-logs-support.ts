// Support for the chat-logs tests (tests/chat-logs-*.test.ts): a Mirror is what a client
// builds from its welcome snapshot plus every event its handlers receive — the chat list,
// each chat's messages (reactions, tombstones), pins, drafts, `me`, notification settings
// and blocks — and it records every per-chat position its handlers saw, so a test can
// check "no gap, no duplicate, nothing after a removal" and compare the mirror with what
// the server answers afresh. Users for big groups are written straight into storage
// (one shared password hash: 1,000 argon2 registrations would take minutes).
import { Database } from "bun:sqlite";
import { applyChatEvent } from "./support/chats.ts";
import type { HearthClient } from "../src/client/client.ts";
import { newId } from "../src/ids.ts";
import type { ChatEntry, WireMessage } from "../src/protocol/methods/chats.ts";
import type { Storage } from "../src/storage/port.ts";

/** A delivered event as the handlers see it: user-log events carry `id`, chat-log events `chatId` and `pos`. */
export interface Seen {
  id?: number;
  chatId?: string;
  pos?: number;
  type: string;
  data: any;
  at?: number;
}

type Entry = ChatEntry & { pos?: number };
type Pin = { message: WireMessage; pinnedBy: string; pinnedAt: number };
type Count = { emoji: string; count: number; mine: boolean };

/** A problem the mirror saw in the stream; tests expect none. */
export interface Violation {
  what: "gap" | "duplicate" | "after_removal" | "unknown_chat" | "user_log_gap";
  chatId?: string;
  pos?: number;
  held?: number;
  id?: number;
  type: string;
}

export class Mirror {
  chats: Record<string, Entry> = {};
  /** chatId → messageId → message as the client would show it. */
  messages = new Map<string, Map<string, WireMessage>>();
  pins = new Map<string, Map<string, Pin>>();
  /** chatId → the highest pos this client holds (from the snapshot entry, chat.joined, a reset, or the last event). */
  held = new Map<string, number>();
  /** chatId → pos of the event that removed me (chat.left / member_removed). */
  left = new Map<string, number>();
  /** chatId → every pos delivered to the handlers, in order. */
  posLog = new Map<string, number[]>();
  /** chatId → messages with seq ≤ this existed before this client followed the chat (not in its history). */
  joinedAtSeq = new Map<string, number>();
  /** Chats whose newest message was deleted: a client re-reads them with chat.get. */
  stale = new Set<string>();
  userIds: number[] = [];
  resets: { chatId: string; pos: number }[] = [];
  violations: Violation[] = [];
  me: any = null;
  notify: any = null;
  blocks = new Set<string>();
  lastEventId = 0;
  snapshots = 0;

  constructor(readonly userId: string) {}

  /** A welcome that replaced state (the first one, or after a resume_gap). */
  fromSnapshot(snapshot: Record<string, any>, lastEventId: number): void {
    this.snapshots++;
    this.lastEventId = lastEventId;
    this.chats = {};
    this.messages.clear();
    this.pins.clear();
    this.held.clear();
    this.left.clear();
    for (const e of (snapshot.chats?.chats ?? []) as Entry[]) this.take(e, e.pos ?? 0);
    if (snapshot.accounts?.me) this.me = structuredClone(snapshot.accounts.me);
    if (snapshot.push?.settings) this.notify = structuredClone(snapshot.push.settings);
  }

  /** Start following a chat from `entry` at `pos`: history before it is not this client's to have seen. */
  private take(entry: Entry, pos: number): void {
    this.chats[entry.chat.id] = { ...structuredClone(entry), pos };
    this.held.set(entry.chat.id, pos);
    this.left.delete(entry.chat.id);
    this.joinedAtSeq.set(entry.chat.id, entry.chat.lastSeq);
    this.messages.set(entry.chat.id, new Map());
    this.pins.set(entry.chat.id, new Map());
  }

  /** The first page a client loads for a chat it shows (history with reactions, pins): from here on events keep it. */
  loadHistory(chatId: string, page: WireMessage[], pins: Pin[]): void {
    this.messages.set(chatId, new Map(page.map((m) => [m.id, structuredClone(m)])));
    this.pins.set(chatId, new Map(pins.map((p) => [p.message.id, structuredClone(p)])));
    this.joinedAtSeq.set(chatId, page.length ? page[0]!.seq - 1 : (this.chats[chatId]?.chat.lastSeq ?? 0));
  }

  /** A chat_reset: drop the chat's log-derived state, take the entry at pos. */
  reset(chatId: string, pos: number, entry: Entry): void {
    this.resets.push({ chatId, pos });
    this.take(entry, pos);
  }

  apply(e: Seen): void {
    if (e.pos !== undefined && e.chatId !== undefined && !e.id) return this.applyChat(e as Seen & { chatId: string; pos: number });
    if (e.id !== undefined) {
      if (e.id !== this.lastEventId + 1) this.violations.push({ what: "user_log_gap", id: e.id, held: this.lastEventId, type: e.type });
      this.lastEventId = e.id;
      this.userIds.push(e.id);
    }
    this.applyUser(e);
  }

  private applyChat(e: Seen & { chatId: string; pos: number }): void {
    const log = this.posLog.get(e.chatId) ?? [];
    log.push(e.pos);
    this.posLog.set(e.chatId, log);
    const leftAt = this.left.get(e.chatId);
    if (leftAt !== undefined) {
      // the user-log chat.left may come before the chat log's own removal event
      if (e.pos > leftAt) this.violations.push({ what: "after_removal", chatId: e.chatId, pos: e.pos, held: leftAt, type: e.type });
      return;
    }
    const held = this.held.get(e.chatId);
    if (held === undefined) return void this.violations.push({ what: "unknown_chat", chatId: e.chatId, pos: e.pos, type: e.type });
    if (e.pos <= held) return void this.violations.push({ what: "duplicate", chatId: e.chatId, pos: e.pos, held, type: e.type });
    if (e.pos !== held + 1) this.violations.push({ what: "gap", chatId: e.chatId, pos: e.pos, held, type: e.type });
    this.held.set(e.chatId, e.pos);
    this.applyToList(e);
    const entry = this.chats[e.chatId];
    if (entry) entry.pos = e.pos;
    this.applyToHistory(e);
    if (e.type === "chat.member_removed" && (e.data.userIds as string[]).includes(this.userId)) this.drop(e.chatId, e.pos);
  }

  private applyUser(e: Seen): void {
    const d = e.data;
    switch (e.type) {
      case "chat.joined":
        return this.take(d.entry, d.pos);
      case "chat.created": // a server that still sends it for the creator
        if (!this.chats[d.entry.chat.id]) this.take(d.entry, d.entry.pos ?? 0);
        return;
      case "chat.left":
        return this.drop(d.chatId, d.pos);
      case "draft.updated": {
        const x = this.chats[d.chatId];
        if (!x) return;
        if (d.draft) x.draft = d.draft;
        else delete x.draft;
        return;
      }
      case "user.updated":
        if (this.me && d.user.id === this.userId) this.me = { ...this.me, ...d.user };
        return;
      case "twofactor.updated":
        if (this.me) this.me.totpEnabled = d.enabled;
        return;
      case "notify.updated":
        this.notify = structuredClone(d.settings);
        return;
      case "user.block_changed":
        if (d.blocked) this.blocks.add(d.userId);
        else this.blocks.delete(d.userId);
        return;
    }
    this.applyToList(e);
    this.applyToHistory(e);
  }

  private drop(chatId: string, pos: number): void {
    this.left.set(chatId, Math.max(pos, this.left.get(chatId) ?? 0));
    delete this.chats[chatId];
    this.held.delete(chatId);
    this.messages.delete(chatId);
    this.pins.delete(chatId);
  }

  private applyToList(e: Seen): void {
    if (e.type === "chat.member_removed" || e.type === "chat.created" || e.type === "chat.member_added") {
      // membership of others: the list entry's chat changes; my own join/leave is chat.joined/chat.left
      const d = e.data;
      if (e.type === "chat.member_removed" && (d.userIds as string[]).includes(this.userId)) return this.drop(d.chat.id, e.pos ?? this.held.get(d.chat.id) ?? 0);
      if (e.type === "chat.member_added" && d.entry && !this.chats[d.chat.id]) return this.take(d.entry, d.entry.pos ?? 0);
      if (this.chats[d.chat.id]) this.chats[d.chat.id] = { ...this.chats[d.chat.id]!, chat: d.chat };
      return;
    }
    if (e.type === "message.deleted" && this.chats[e.data.chatId]?.lastMessage?.id === e.data.messageId) this.stale.add(e.data.chatId);
    const list = Object.values(this.chats);
    const next = applyChatEvent(list, this.userId, e);
    const byId: Record<string, Entry> = {};
    for (const x of next) byId[x.chat.id] = { ...x, pos: this.chats[x.chat.id]?.pos ?? x.pos };
    this.chats = byId;
  }

  private applyToHistory(e: Seen): void {
    const d = e.data;
    const chatId: string | undefined = d?.chatId ?? d?.message?.chatId;
    const msgs = chatId ? this.messages.get(chatId) : undefined;
    const pins = chatId ? this.pins.get(chatId) : undefined;
    if (!chatId || !msgs || !pins) return;
    switch (e.type) {
      case "message.created":
        msgs.set(d.message.id, { ...d.message, reactions: [] });
        return;
      case "message.edited": {
        const old = msgs.get(d.message.id);
        if (old) msgs.set(d.message.id, { ...d.message, reactions: old.reactions });
        const pin = pins.get(d.message.id);
        if (pin) pin.message = { ...d.message };
        return;
      }
      case "message.deleted": {
        const old = msgs.get(d.messageId);
        if (!d.forEveryone) msgs.delete(d.messageId);
        else if (old) msgs.set(d.messageId, { ...old, text: "", entities: [], deletedAt: e.at ?? 1, reactions: [] });
        if (d.forEveryone) pins.delete(d.messageId);
        return;
      }
      case "reaction.changed": {
        const old = msgs.get(d.messageId);
        if (!old) return;
        const mine = new Map((old.reactions ?? []).map((r) => [r.emoji, r.mine]));
        if (d.userId === this.userId) mine.set(d.emoji, d.added);
        // counts as of this change (in channels the reactor may also get a user-log copy: same counts at the same commit)
        const counts: { emoji: string; count: number }[] = d.counts;
        old.reactions = counts.map((c) => ({ emoji: c.emoji, count: c.count, mine: mine.get(c.emoji) ?? false }));
        return;
      }
      case "message.pinned":
        pins.set(d.pin.message.id, structuredClone(d.pin));
        return;
      case "message.unpinned":
        pins.delete(d.messageId);
        return;
    }
  }

  /** Re-reads the chats whose newest message was deleted (what a client does: chat.get). */
  async refreshStale(call: (m: string, p: unknown) => Promise<any>): Promise<void> {
    for (const chatId of this.stale) {
      const x = this.chats[chatId];
      if (!x) continue;
      const fresh = (await call("chat.get", { chatId })) as ChatEntry;
      x.lastMessage = fresh.lastMessage;
    }
    this.stale.clear();
  }
}

/** Wires a mirror to a client: every handler call and every chat_reset. */
export function mirrorOn(client: HearthClient, m: Mirror): void {
  client.on("*", (_d, e) => m.apply(e as unknown as Seen));
  client.onChatReset((r) => m.reset(r.chatId, r.pos, r.entry as Entry));
}

/** The per-chat positions the client keeps, as a plain record. */
export function positionsOf(client: HearthClient): Record<string, number> {
  return Object.fromEntries(client.positions().map((x) => [x.chatId, x.pos]));
}

// ---- comparing a mirror with the server's fresh answers ----

const sortCounts = (rs: Count[] | undefined) => [...(rs ?? [])].sort((a, b) => (a.emoji < b.emoji ? -1 : a.emoji > b.emoji ? 1 : 0));

/** A message as compared: tombstones by identity only (their deletion time is the server's). */
function comparable(m: WireMessage): unknown {
  if (m.deletedAt !== null) return { id: m.id, seq: m.seq, deleted: true };
  const { reactions, ...rest } = m;
  return { ...rest, reactions: sortCounts(reactions as Count[]) };
}

const withoutReactions = (e: Entry): Entry => (e.lastMessage ? { ...e, lastMessage: { ...e.lastMessage, reactions: undefined } } : e);
const strip = (e: Entry) => JSON.parse(JSON.stringify(withoutReactions(e))) as Entry;

/** What the server says now, shaped like the mirror's parts. */
export async function freshState(call: (m: string, p: unknown) => Promise<any>, m: Mirror, opts: { pageMax?: number } = {}) {
  const list = (await call("chat.list", { limit: 1000 })) as { chats: Entry[] };
  const chats: Record<string, Entry> = {};
  for (const e of list.chats) chats[e.chat.id] = strip(e);
  const messages: Record<string, unknown[]> = {};
  const pins: Record<string, unknown[]> = {};
  for (const chatId of Object.keys(m.chats)) {
    const from = m.joinedAtSeq.get(chatId) ?? 0;
    const page = (await call("message.list", { chatId, anchor: "latest", direction: "before", limit: opts.pageMax ?? 100 })) as { messages: WireMessage[] };
    messages[chatId] = page.messages.filter((x) => x.seq > from).map(comparable);
    const p = (await call("message.list_pinned", { chatId })) as { pins: Pin[] };
    pins[chatId] = p.pins.filter((x) => x.message.seq > from).map((x) => ({ id: x.message.id, by: x.pinnedBy, at: x.pinnedAt, text: x.message.text }));
  }
  return { chats, messages, pins };
}

/** The mirror in the same shape as freshState (histories: the newest `pageMax`). */
export function mirrorState(m: Mirror, opts: { pageMax?: number } = {}) {
  const chats: Record<string, Entry> = {};
  for (const [id, e] of Object.entries(m.chats)) chats[id] = strip(e);
  const messages: Record<string, unknown[]> = {};
  const pins: Record<string, unknown[]> = {};
  for (const chatId of Object.keys(m.chats)) {
    const all = [...(m.messages.get(chatId)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
    messages[chatId] = all.slice(-(opts.pageMax ?? 100)).map(comparable);
    // like freshState: only pins of messages after what the client first loaded (an old message pinned later is out of its window)
    pins[chatId] = [...(m.pins.get(chatId)?.values() ?? [])]
      .filter((x) => x.message.seq > (m.joinedAtSeq.get(chatId) ?? 0))
      .sort((a, b) => b.pinnedAt - a.pinnedAt)
      .map((x) => ({ id: x.message.id, by: x.pinnedBy, at: x.pinnedAt, text: x.message.text }));
  }
  return { chats, messages, pins };
}

// ---- users and big groups without 1,000 password hashes ----

/** `n` users written straight into storage (offline members), sharing one password hash. */
export async function seedUsers(storage: Storage, n: number, prefix = `s${process.pid % 1000}x`): Promise<string[]> {
  const hash = await Bun.password.hash(crypto.randomUUID());
  const now = Date.now();
  const made = await Promise.all(
    Array.from({ length: n }, (_, i) => storage.users.create({ id: newId(), username: `${prefix}${i}`, displayName: `${prefix} ${i}`, passwordHash: hash, role: "member", createdAt: now })),
  );
  return made.map((m) => m.value.id);
}

/** A group owned by `owner` with `memberIds` added through the real methods (chat.create + member.add in pages). */
export async function bigGroup(owner: { request(m: string, p: unknown): Promise<any> }, memberIds: string[], title = "big", perRequest = 100): Promise<string> {
  const first = memberIds.slice(0, perRequest);
  const r = (await owner.request("chat.create", { kind: "group", clientId: `big-${crypto.randomUUID()}`, title, memberIds: first })) as { entry: ChatEntry };
  const chatId = r.entry.chat.id;
  for (let i = perRequest; i < memberIds.length; i += perRequest) await owner.request("member.add", { chatId, userIds: memberIds.slice(i, i + perRequest) });
  return chatId;
}

// ---- counting durable rows ----

type Rows = Map<string, Map<string, string>>; // table → primary key → row

function readRows(file: string): Rows {
  const db = new Database(file, { readonly: true });
  try {
    const out: Rows = new Map();
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

/** Rows inserted, updated or deleted per table by `act`, read from the database file itself. */
export async function rowsChangedBy(file: string, act: () => Promise<void>): Promise<Record<string, { inserted: number; updated: number; deleted: number }>> {
  const before = readRows(file);
  await act();
  const after = readRows(file);
  const out: Record<string, { inserted: number; updated: number; deleted: number }> = {};
  for (const [table, rows] of after) {
    const old = before.get(table) ?? new Map();
    const c = { inserted: 0, updated: 0, deleted: 0 };
    for (const [k, v] of rows) {
      const was = old.get(k);
      if (was === undefined) c.inserted++;
      else if (was !== v) c.updated++;
    }
    for (const k of old.keys()) if (!rows.has(k)) c.deleted++;
    if (c.inserted + c.updated + c.deleted) out[table] = c;
  }
  return out;
}
