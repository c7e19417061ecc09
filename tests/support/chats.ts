// Test support for chats and messages on the shared e2e harness (tests/support/harness.ts): a
// real server with the chats module, people with connected clients that record every
// event they receive, and a barrier that proves an event did NOT reach someone.
import type { PreviewsOptions } from "../../src/previews/previews.ts";
import { connectClient, createTestUser, type Observed, observe, startTestServer } from "./harness.ts";
import type { HearthClient } from "../../src/client/index.ts";
import type { Deps } from "../../src/core/deps.ts";
import type { DomainModule } from "../../src/core/module.ts";
import type { ChatEntry } from "../../src/protocol/methods/chats.ts";
import type { EventDataOf, EventType } from "../../src/protocol/events.ts";
import { chatsModule } from "../../src/chats/module.ts";

export interface Person extends Observed {
  id: string;
  username: string;
  snapshot: { chats: ChatEntry[]; hasMore: boolean };
  /** Resolves once every event committed for this person so far has arrived. */
  barrier(): Promise<void>;
}

let nameSeq = 0;

/** `modules`: more domain modules next to chats (e.g. presence); `set`: config overrides; `dir`, `clock`, `previews`: as startTestServer. */
export async function startChatsServer(opts: { modules?: (deps: Deps) => DomainModule[]; set?: string[]; dir?: string; clock?: { offsetMs: number }; previews?: PreviewsOptions } = {}) {
  // Tests drive many requests per person quickly; rate limiting has its own tests.
  const fast = { requestsPerSecondPerConnection: 1_000_000, requestsPerSecondPerUser: 1_000_000, requestBurst: 1_000_000 };
  const t = await startTestServer({ modules: (deps) => [chatsModule(deps), ...(opts.modules?.(deps) ?? [])], wsLimits: fast, set: opts.set, dir: opts.dir, clock: opts.clock, previews: opts.previews });
  const people: Person[] = [];
  return {
    t,
    deps: t.deps,
    async person(prefix = "p"): Promise<Person> {
      const username = `${prefix}${process.pid % 1000}n${++nameSeq}`;
      const tokens = await createTestUser(t, username);
      const client = await connectClient(t, tokens);
      const p = personOf(tokens.userId, username, client);
      const welcome = await client.connect(); // already open: the welcome it got
      p.snapshot = welcome.snapshot?.chats as Person["snapshot"];
      people.push(p);
      return p;
    },
    async stop() {
      for (const p of people) p.client.close();
      await t.stop();
    },
  };
}

function personOf(id: string, username: string, client: HearthClient): Person {
  let saved: string | null = null;
  let muted = false;
  const p: Person = {
    ...observe(client, username),
    id,
    username,
    snapshot: { chats: [], hasMore: false },
    // A private change only this person hears of; user-log events arrive in id order, so
    // once it is here every earlier user-log event for this person is here too — and every
    // earlier chat-log change of a chat they follow: those are sent when the change is
    // published, before the write that made them answers (src/events/chat-fanout.ts).
    async barrier() {
      saved ??= ((await client.request("chat.create", { kind: "saved" })) as { entry: ChatEntry }).entry.chat.id;
      muted = !muted;
      const from = p.events.length;
      await client.request("chat.mute", { chatId: saved, muted });
      const want = muted;
      await p.event("chat.member_updated", (d) => d.chatId === saved && d.me?.muted === want, from);
    },
  };
  return p;
}

/**
 * A reference client: applies chat events to a chat list the way a client should, so a
 * test can check that old snapshot + events = fresh snapshot (every event carries what
 * the list needs). One known limit: deleting the newest message leaves lastMessage
 * unknown (null here) — a client re-reads that chat with chat.get.
 */
export function applyChatEvent(list: ChatEntry[], me: string, e: { type: string; data: unknown; chatId?: string; pos?: number }): ChatEntry[] {
  // the server sent it through its own schemas: its data is its type's (the catalog's)
  const next = applyChange(list, me, e as KnownEvent);
  // a change from a chat's log moves the entry's position, whatever else it did
  return e.chatId && typeof e.pos === "number" ? next.map((x) => (x.chat.id === e.chatId && x.pos < e.pos! ? { ...x, pos: e.pos! } : x)) : next;
}

// An unread message the user hid for themself: the entry lists its seq (hiddenUnread, as the
// server does); its later edits and deletion for everyone still come through the chat's log,
// and a client ignores them for the counts, which dropped it once, when it was hidden.
type KnownEvent = { [E in EventType]: { type: E; data: EventDataOf<E> } }[EventType];
type Message = EventDataOf<"message.created">["message"];

function applyChange(list: ChatEntry[], me: string, e: KnownEvent): ChatEntry[] {
  const hid = (chatId: string, seq: number) => list.find((x) => x.chat.id === chatId)?.hiddenUnread?.includes(seq) ?? false;
  if (e.type === "message.edited" && hid(e.data.message.chatId, e.data.message.seq)) return list;
  if (e.type === "message.deleted" && e.data.forEveryone && hid(e.data.chatId, e.data.seq)) {
    const d = e.data;
    return list.map((x) => (x.chat.id === d.chatId ? withHidden(x, x.hiddenUnread!.filter((s) => s !== d.seq)) : x));
  }
  const at = (chatId: string) => list.findIndex((x) => x.chat.id === chatId);
  const upsert = (entry: ChatEntry) => [...list.filter((x) => x.chat.id !== entry.chat.id), entry];
  const update = (chatId: string, f: (x: ChatEntry) => ChatEntry) => list.map((x) => (x.chat.id === chatId ? f(x) : x));
  switch (e.type) {
    case "chat.created":
    case "chat.joined":
      return upsert(e.data.entry);
    case "chat.left":
      return list.filter((x) => x.chat.id !== e.data.chatId);
    case "chat.updated":
    case "chat.retention_changed": {
      const chat = e.data.chat;
      return update(chat.id, (x) => ({ ...x, chat }));
    }
    case "chat.member_added": {
      const d = e.data;
      return d.entry ? upsert(d.entry) : update(d.chat.id, (x) => ({ ...x, chat: d.chat }));
    }
    case "chat.member_removed": {
      const d = e.data;
      return d.userIds.includes(me) ? list.filter((x) => x.chat.id !== d.chat.id) : update(d.chat.id, (x) => ({ ...x, chat: d.chat }));
    }
    case "chat.member_updated": {
      const d = e.data;
      if (d.me) {
        const mine = d.me;
        return update(d.chatId, (x) => ({ ...x, me: mine }));
      }
      return d.member.userId === me ? update(d.chatId, (x) => ({ ...x, me: { ...x.me, role: d.member.role } })) : list;
    }
    case "message.created": {
      const m = e.data.message;
      return at(m.chatId) < 0 ? list : update(m.chatId, (x) => created(x, me, m));
    }
    case "message.edited": {
      const d = e.data;
      return update(d.message.chatId, (x) => edited(x, me, d));
    }
    case "message.deleted": {
      const d = e.data;
      return update(d.chatId, (x) => deleted(x, me, d));
    }
    case "read.updated": {
      const d = e.data;
      if (d.userId !== me) return list;
      return update(d.chatId, (x) => ({
        ...withHidden(x, (x.hiddenUnread ?? []).filter((s) => s > d.readSeq)),
        me: { ...x.me, readSeq: d.readSeq },
        // the reader's own devices always get the counts (others' receipts carry none)
        unreadCount: d.unreadCount ?? x.unreadCount,
        unreadMentionCount: d.unreadMentionCount ?? x.unreadMentionCount,
      }));
    }
    default:
      return list;
  }
}

const mentionsMe = (entities: { type: string; userId?: string }[], me: string) =>
  entities.some((en) => en.type === "mention_all" || (en.type === "mention" && en.userId === me));

function created(x: ChatEntry, me: string, m: Message): ChatEntry {
  const unread = m.senderId !== me && m.seq > x.me.readSeq;
  return {
    ...x,
    chat: { ...x.chat, lastSeq: m.seq, lastAt: Math.max(x.chat.lastAt, m.createdAt) },
    lastMessage: m,
    unreadCount: x.unreadCount + (unread ? 1 : 0),
    unreadMentionCount: x.unreadMentionCount + (unread && mentionsMe(m.entities, me) ? 1 : 0),
  };
}

function edited(x: ChatEntry, me: string, d: EventDataOf<"message.edited">): ChatEntry {
  const m = d.message;
  const unread = m.senderId !== me && m.seq > x.me.readSeq;
  const was = d.mentionsBefore.all || d.mentionsBefore.userIds.includes(me);
  const move = unread ? Number(mentionsMe(m.entities, me)) - Number(was) : 0;
  return { ...x, lastMessage: x.lastMessage?.id === m.id ? m : x.lastMessage, unreadMentionCount: x.unreadMentionCount + move };
}

/** The entry with hiddenUnread set to these seqs (absent when none, as on the wire). */
function withHidden(x: ChatEntry, seqs: number[]): ChatEntry {
  const { hiddenUnread: _, ...rest } = x;
  return seqs.length > 0 ? { ...rest, hiddenUnread: seqs } : rest;
}

function deleted(x: ChatEntry, me: string, d: EventDataOf<"message.deleted">): ChatEntry {
  const unread = d.senderId !== me && d.seq > x.me.readSeq;
  const mentioned = d.mentions.all || d.mentions.userIds.includes(me);
  const hidden = unread && !d.forEveryone ? [...(x.hiddenUnread ?? []), d.seq].sort((a, b) => a - b) : (x.hiddenUnread ?? []);
  return {
    ...withHidden(x, hidden),
    lastMessage: x.lastMessage?.id === d.messageId ? null : x.lastMessage,
    unreadCount: x.unreadCount - (unread ? 1 : 0),
    unreadMentionCount: x.unreadMentionCount - (unread && mentioned ? 1 : 0),
  };
}

/** The chat list's order: most recently active first. */
export const byActivity = (list: ChatEntry[]) =>
  [...list].sort((a, b) => b.chat.lastAt - a.chat.lastAt || (b.chat.id < a.chat.id ? -1 : b.chat.id > a.chat.id ? 1 : 0));
