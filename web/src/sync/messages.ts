// Message events: they update the chat list row (last message, unread and mention counts)
// and the loaded history window of the chat, if any.
import { type ChatEntry, ChatEntrySchema, type WireMessage } from "../../../src/protocol/methods/chats.ts";
import type { State } from "./state.ts";

type Counts = { emoji: string; count: number }[];

export function applyMessageEvent(s: State, type: string, d: Record<string, unknown>, at: number): boolean {
  switch (type) {
    case "message.created":
      onCreated(s, d.message as WireMessage);
      return true;
    case "message.edited":
      onEdited(s, d.message as WireMessage, d.mentionsBefore as Mentions | undefined);
      return true;
    case "message.deleted":
      onDeleted(s, d as unknown as Deleted, at);
      return true;
    case "read.updated":
      onRead(s, d as unknown as ReadUpdated);
      return true;
    case "reaction.changed":
      onReaction(s, d as unknown as ReactionChanged);
      return true;
    case "message.pinned": {
      const pin = (d.pin as { message: WireMessage }).message;
      const list = (s.pins[d.chatId as string] ??= []);
      if (!list.some((p) => p.messageId === pin.id)) list.unshift({ messageId: pin.id, seq: pin.seq, text: pin.text });
      return true;
    }
    case "message.unpinned": {
      const list = s.pins[d.chatId as string];
      if (list) s.pins[d.chatId as string] = list.filter((p) => p.messageId !== d.messageId);
      return true;
    }
    default:
      return false;
  }
}

export function mentionsMe(m: Pick<WireMessage, "entities">, meId: string | undefined): boolean {
  return m.entities.some((e) => e.type === "mention_all" || (e.type === "mention" && e.userId === meId));
}

function onCreated(s: State, m: WireMessage): void {
  const entry = s.chats[m.chatId];
  if (entry) {
    if (m.seq > entry.chat.lastSeq) {
      entry.chat.lastSeq = m.seq;
      entry.chat.lastAt = Math.max(entry.chat.lastAt, m.createdAt);
    }
    if (!entry.lastMessage || entry.lastMessage.seq < m.seq) entry.lastMessage = m;
    if (m.senderId !== s.me?.id && m.seq > entry.me.readSeq) {
      entry.unreadCount++;
      if (mentionsMe(m, s.me?.id)) entry.unreadMentionCount++;
    }
  }
  const w = s.windows[m.chatId];
  if (w && !w.hasAfter) insertMessage(w.items, m);
}

/** Inserts or replaces by id, keeping seq order (a late page and a live event may overlap). */
export function insertMessage(items: WireMessage[], m: WireMessage): void {
  const at = items.findIndex((x) => x.id === m.id);
  if (at >= 0) {
    items[at] = { ...m, reactions: m.reactions ?? items[at]!.reactions };
    return;
  }
  let i = items.length;
  while (i > 0 && items[i - 1]!.seq > m.seq) i--;
  items.splice(i, 0, m);
}

type Mentions = { userIds: string[]; all: boolean };

/**
 * An edit can add or remove a mention of you; while the message is unread that moves the
 * mention badge by one. mentionsBefore (what the message mentioned before this edit) is the
 * only way to know which way: the window may not hold the old text. Same rule as the server's
 * reference applier (tests/support/chats.ts edited()).
 */
function onEdited(s: State, m: WireMessage, before: Mentions | undefined): void {
  const entry = s.chats[m.chatId];
  if (entry?.lastMessage?.id === m.id) entry.lastMessage = m;
  if (entry && before && m.senderId !== s.me?.id && m.seq > entry.me.readSeq && !hidByMe(entry, m.seq)) {
    const was = before.all || (s.me !== null && before.userIds.includes(s.me.id));
    entry.unreadMentionCount = Math.max(0, entry.unreadMentionCount + Number(mentionsMe(m, s.me?.id)) - Number(was));
  }
  const w = s.windows[m.chatId];
  const at = w ? w.items.findIndex((x) => x.id === m.id) : -1;
  if (w && at >= 0) w.items[at] = { ...m, reactions: w.items[at]!.reactions };
}

interface Deleted {
  chatId: string;
  messageId: string;
  seq: number;
  forEveryone: boolean;
  senderId: string;
  mentions: { userIds: string[]; all: boolean };
  expired?: true; // retention's delete: the message vanishes
}

/**
 * Unread messages you hid for yourself: the entry lists those hidden before it was read
 * (ChatEntry.hiddenUnread) and this device adds the hides it hears of. Their later edits and
 * deletions for everyone still arrive through the chat's log, shared by all members; the
 * counts already left them out, so those must not move the counts again.
 */
const hidByMe = (entry: ChatEntry, seq: number) => entry.hiddenUnread?.includes(seq) ?? false;
const hiddenMax = ChatEntrySchema.properties.hiddenUnread.maxItems!; // the server's entryHiddenUnreadMax

/** Keeps the hidden seqs that pass `keep`; absent when none is left, as on the wire. */
function keepHidden(entry: ChatEntry, keep: (seq: number) => boolean): void {
  const still = entry.hiddenUnread?.filter(keep) ?? [];
  if (still.length > 0) entry.hiddenUnread = still;
  else delete entry.hiddenUnread;
}

function onDeleted(s: State, d: Deleted, at: number): void {
  const entry = s.chats[d.chatId];
  const w = s.windows[d.chatId];
  const unread = entry !== undefined && d.senderId !== s.me?.id && d.seq > entry.me.readSeq;
  if (entry && unread && hidByMe(entry, d.seq)) {
    if (d.forEveryone) keepHidden(entry, (seq) => seq !== d.seq);
  } else if (entry && unread && entry.unreadCount > 0) {
    entry.unreadCount--;
    const mentioned = d.mentions.all || (s.me !== null && d.mentions.userIds.includes(s.me.id));
    if (mentioned && entry.unreadMentionCount > 0) entry.unreadMentionCount--;
    if (!d.forEveryone) entry.hiddenUnread = [...(entry.hiddenUnread ?? []), d.seq].sort((a, b) => a - b).slice(-hiddenMax);
  }
  if (w) {
    const i = w.items.findIndex((x) => x.id === d.messageId);
    if (i >= 0 && d.forEveryone && !d.expired) w.items[i] = { ...w.items[i]!, text: "", entities: [], deletedAt: at, reactions: [] };
    else if (i >= 0) w.items.splice(i, 1);
  }
  if (entry?.lastMessage?.id === d.messageId) {
    // the newest visible, not deleted message: known only when the window holds it
    const prev = w ? [...w.items].reverse().find((x) => x.deletedAt === null && x.id !== d.messageId) : undefined;
    entry.lastMessage = prev ?? null;
  }
  const pins = s.pins[d.chatId];
  if (pins && d.forEveryone) s.pins[d.chatId] = pins.filter((p) => p.messageId !== d.messageId);
}

interface ReadUpdated {
  chatId: string;
  userId: string;
  readSeq: number;
  unreadCount?: number;
  unreadMentionCount?: number;
}

function onRead(s: State, d: ReadUpdated): void {
  const entry = s.chats[d.chatId];
  if (d.userId === s.me?.id) {
    if (!entry) return;
    entry.me.readSeq = Math.max(entry.me.readSeq, d.readSeq);
    if (entry.hiddenUnread) keepHidden(entry, (seq) => seq > entry.me.readSeq);
    if (d.unreadCount !== undefined) entry.unreadCount = d.unreadCount;
    if (d.unreadMentionCount !== undefined) entry.unreadMentionCount = d.unreadMentionCount;
    return;
  }
  const peers = (s.peerRead[d.chatId] ??= {});
  peers[d.userId] = Math.max(peers[d.userId] ?? 0, d.readSeq);
}

interface ReactionChanged {
  chatId: string;
  messageId: string;
  emoji: string;
  added: boolean;
  userId?: string;
  counts: Counts;
}

function onReaction(s: State, d: ReactionChanged): void {
  const m = s.windows[d.chatId]?.items.find((x) => x.id === d.messageId);
  if (!m) return;
  const mine = new Set((m.reactions ?? []).filter((r) => r.mine).map((r) => r.emoji));
  if (d.userId !== undefined && d.userId === s.me?.id) {
    if (d.added) mine.add(d.emoji);
    else mine.delete(d.emoji);
  }
  m.reactions = d.counts.filter((c) => c.count > 0).map((c) => ({ emoji: c.emoji, count: c.count, mine: mine.has(c.emoji) }));
}

/**
 * Merges a fetched page into the chat's window (replacing it when the page does not touch it).
 * Pages are fetched asynchronously, so the window may have changed meanwhile:
 * - a "before"/"after" page fetched from `anchorSeq` is dropped when that seq is no longer the
 *   window's edge (the window was replaced, e.g. by a jump to the newest): merged, it would
 *   leave a gap and its trim would cut off the newest end (false: nothing merged, don't trim);
 * - a "replace" page that reaches the newest end keeps the newer messages a live event put in
 *   the old window while the page was on its way (else they vanish until the next reload).
 */
export function mergePage(
  s: State,
  chatId: string,
  page: { messages: WireMessage[]; hasBefore: boolean; hasAfter: boolean },
  mode: "replace" | "before" | "after",
  anchorSeq?: number,
): boolean {
  const w = s.windows[chatId];
  if (!w || mode === "replace") {
    const items = [...page.messages];
    if (w && !w.hasAfter && !page.hasAfter) {
      const newest = items.at(-1)?.seq ?? 0;
      for (const m of w.items) if (m.seq > newest) insertMessage(items, m);
    }
    s.windows[chatId] = { items, hasBefore: page.hasBefore, hasAfter: page.hasAfter };
    return true;
  }
  const edge = mode === "before" ? w.items[0] : w.items.at(-1);
  if (anchorSeq !== undefined && edge?.seq !== anchorSeq) return false;
  for (const m of page.messages) insertMessage(w.items, m);
  if (mode === "before") w.hasBefore = page.hasBefore;
  else w.hasAfter = page.hasAfter;
  return true;
}

/**
 * Keeps at most `max` messages in a window by dropping from the far side of where the
 * reader is: the DOM only ever holds this many messages however long the chat is.
 */
export function trimWindow(s: State, chatId: string, max: number, keep: "start" | "end"): void {
  const w = s.windows[chatId];
  if (!w || w.items.length <= max) return;
  if (keep === "end") {
    w.items.splice(0, w.items.length - max);
    w.hasBefore = true;
  } else {
    w.items.splice(max);
    w.hasAfter = true;
  }
}
