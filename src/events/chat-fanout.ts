// Live delivery of chat logs, once per chat per process. A chat change is stored once
// (storage.chatLog) and published once on the bus (topics.chatLog); here it becomes ONE
// encoded `chat_events` frame, handed to Bun's native topic publish (`c:<chatId>`, one
// call per listener), so no JS runs per recipient: the cost per delivery is Bun's socket
// write, as for a raw Bun.serve publish. A follower on the shared path is subscribed to
// that topic on its socket; Bun keeps a socket's direct sends and topic messages in the
// order they were made, and an unsubscribe takes effect for every later publish.
// A socket that stops reading is closed by Bun at its backpressure limit
// (closeOnBackpressureLimit, src/server/ws.ts): a frame is never silently skipped.
//
// Invariant per follower: the chat's events leave in pos order with no hole and no
// repeat. A topic keeps `lastPos`, the newest pos handed to its live followers; a bus
// batch continuing it is published at once, one that jumps first reads the hole from
// storage (serialized per chat), one already seen is dropped — so a lost, late or
// doubled bus message delays delivery but never breaks the order.
//
// A new follower first catches up from its own position by reading storage up to
// lastPos and then, in the SAME synchronous turn as its last catch-up send, joins the
// live set: nothing published after that turn can miss it, nothing before reaches it
// twice. Membership is part of the log: when a chat.member_removed is published, the
// removed users' followers get it and are dropped before any later event of the chat;
// a catch-up stops at the event that removes its user the same way.
import { topics, type Bus, type Unsubscribe } from "../bus/port.ts";
import type { Logger } from "../log/port.ts";
import { encodeServerFrame } from "../protocol/codec.ts";
import type { ChatLogEvent } from "../protocol/frames.ts";
import type { Storage } from "../storage/port.ts";
import { decodeChatLogPayload } from "./publish.ts";

export interface ChatFollower {
  readonly userId: string;
  /** One encoded `chat_events` frame sent to this follower alone (catch-up, or what it lacks). */
  sendChatFrame(bytes: Uint8Array, events: number): void;
  /** Joins / leaves the chat's native topic: from now on publishes reach it / no longer do. */
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  /** The follow ended by itself: the user was removed from the chat (the removal was sent). */
  unfollowed(chatId: string): void;
  /** The follower's position is older than the kept log: it needs a chat_reset. */
  behind(chatId: string): void;
  onError(e: unknown): void;
}

export interface ChatFanoutDeps {
  storage: Pick<Storage, "chatLog">;
  bus: Bus;
  log: Logger;
  /** Bun's server.publish on every listener (HTTP and HTTPS) of this process. */
  publish(topic: string, bytes: Uint8Array): void;
  /** Counts what a publish delivered (metrics): frames = subscribed followers. */
  published?(frames: number, events: number): void;
}

// Events that arrived as a frame this process encoded for the bus (publish.ts): that frame.
const framed = new WeakMap<readonly ChatLogEvent[], Uint8Array>();

/** The native topic a chat's shared frames go to. */
export const chatTopic = (chatId: string) => `c:${chatId}`;

interface Topic {
  readonly chatId: string;
  readonly name: string; // chatTopic(chatId)
  /** Newest pos handed to the live followers; -1 until the head is read. */
  lastPos: number;
  /** Live followers subscribed to the native topic: they get every publish. */
  readonly live: Set<ChatFollower>;
  /**
   * Live followers that joined AHEAD of lastPos (their position came from a newer read) →
   * the pos they hold: sent only what they lack, directly, then subscribed.
   */
  readonly ahead: Map<ChatFollower, number>;
  /** Followers catching up from storage → the pos they hold. */
  readonly catching: Map<ChatFollower, number>;
  /** Bus batches not yet published (the head is being read, or a hole is being filled). */
  readonly pending: ChatLogEvent[][];
  busy: boolean;
  readonly ready: Promise<void>;
  unsub: Unsubscribe;
}

/** A stored chat-log row as the wire carries it (no chatId: the frame names the chat once). */
const wire = (e: ChatLogEvent): ChatLogEvent => ({ pos: e.pos, type: e.type, data: e.data, at: e.at });

const removedUsers = (e: ChatLogEvent): readonly string[] =>
  e.type === "chat.member_removed" ? (((e.data as { userIds?: unknown }).userIds as string[] | undefined) ?? []) : [];

export class ChatFanout {
  private readonly topics = new Map<string, Topic>();

  constructor(
    private readonly deps: ChatFanoutDeps,
    private readonly bounds: { pageMax: number; frameEventsMax: number },
  ) {}

  /** Chats with at least one local follower (tests, metrics). */
  get size(): number {
    return this.topics.size;
  }

  /** Starts delivering `chatId` to f after `fromPos`. A second follow of the same pair is a no-op. */
  follow(chatId: string, f: ChatFollower, fromPos: number): void {
    const t = this.topics.get(chatId) ?? this.open(chatId);
    if (t.live.has(f) || t.ahead.has(f) || t.catching.has(f)) return;
    t.catching.set(f, fromPos);
    this.catchUp(t, f).catch((e) => {
      this.unfollow(chatId, f);
      f.onError(e);
    });
  }

  unfollow(chatId: string, f: ChatFollower): void {
    const t = this.topics.get(chatId);
    if (!t) return;
    this.dropLive(t, f);
    t.catching.delete(f);
    this.closeIfIdle(t);
  }

  private dropLive(t: Topic, f: ChatFollower): void {
    if (t.live.delete(f)) f.unsubscribe(t.name);
    else t.ahead.delete(f);
  }

  private goLive(t: Topic, f: ChatFollower): void {
    t.ahead.delete(f);
    t.live.add(f);
    f.subscribe(t.name);
  }

  /** Every live follower, both kinds (removals and resets; not the per-publish path). */
  private liveFollowers(t: Topic): ChatFollower[] {
    return [...t.live, ...t.ahead.keys()];
  }

  private open(chatId: string): Topic {
    let markReady!: () => void;
    const t: Topic = {
      chatId,
      name: chatTopic(chatId),
      lastPos: -1,
      live: new Set(),
      ahead: new Map(),
      catching: new Map(),
      pending: [],
      busy: true,
      ready: new Promise((r) => (markReady = r)),
      unsub: () => undefined,
    };
    this.topics.set(chatId, t);
    // Subscribe first, then read the head: a change committed after the read arrives on
    // the bus; one committed before it is at or below the head and is read by catch-ups.
    t.unsub = this.deps.bus.subscribe(topics.chatLog(chatId), (p) => this.onBus(t, p));
    this.deps.storage.chatLog
      .heads([chatId])
      .then((h) => {
        t.lastPos = h.get(chatId)?.pos ?? 0;
        t.busy = false;
        markReady();
        this.drain(t);
      })
      .catch((e) => {
        this.deps.log.warn("chat log head read failed", { chatId, err: String(e) });
        this.fail(t, e);
        markReady();
      });
    return t;
  }

  private onBus(t: Topic, payload: Uint8Array): void {
    const batch = decodeChatLogPayload(payload);
    if (!batch || batch.chatId !== t.chatId || batch.events.length === 0) return;
    t.pending.push(batch.events);
    if (batch.frame) framed.set(batch.events, batch.frame); // publish.ts: this process encoded it
    if (!t.busy) this.drain(t);
  }

  /** Publishes pending batches in pos order; on a jump, reads the hole first. */
  private drain(t: Topic): void {
    while (t.pending.length > 0 && !t.busy && this.topics.get(t.chatId) === t) {
      const queued = t.pending.shift()!;
      // kept whole (the same array), a batch can still go out as the frame it came in (send)
      const batch = queued.every((e) => e.pos > t.lastPos) ? queued : queued.filter((e) => e.pos > t.lastPos);
      if (batch.length === 0) continue;
      batch.sort((a, b) => a.pos - b.pos);
      if (batch[0]!.pos !== t.lastPos + 1) {
        t.pending.unshift(batch);
        t.busy = true;
        void this.fillHole(t, batch[0]!.pos);
        return;
      }
      let n = 1;
      while (n < batch.length && batch[n]!.pos === batch[n - 1]!.pos + 1) n++;
      if (n < batch.length) t.pending.unshift(batch.slice(n)); // a hole inside one batch: read it too
      this.publish(t, n === batch.length ? batch : batch.slice(0, n));
    }
  }

  private async fillHole(t: Topic, before: number): Promise<void> {
    try {
      while (t.lastPos + 1 < before && this.topics.get(t.chatId) === t) {
        const want = Math.min(this.bounds.pageMax, before - 1 - t.lastPos);
        const page = await this.deps.storage.chatLog.read(t.chatId, t.lastPos, want);
        if (page.length === 0 || page[0]!.pos !== t.lastPos + 1) {
          // pruned under us: every live follower is now behind; later events continue the log
          for (const f of this.liveFollowers(t)) {
            this.dropLive(t, f);
            f.behind(t.chatId);
          }
          t.lastPos = page.length > 0 ? page[0]!.pos - 1 : before - 1;
          continue;
        }
        this.publish(t, page.map(wire));
      }
    } catch (e) {
      this.deps.log.warn("chat log hole read failed", { chatId: t.chatId, err: String(e) });
      this.fail(t, e);
      return;
    }
    t.busy = false;
    this.drain(t);
  }

  /** Hands contiguous events (lastPos + 1 …) to the live followers, removals applied in order. */
  private publish(t: Topic, events: ChatLogEvent[]): void {
    let start = 0;
    for (let i = 0; i < events.length; i++) {
      const removed = removedUsers(events[i]!);
      if (removed.length === 0) continue;
      this.send(t, events.slice(start, i + 1));
      start = i + 1;
      for (const f of this.liveFollowers(t)) {
        if (!removed.includes(f.userId)) continue;
        this.dropLive(t, f);
        f.unfollowed(t.chatId);
      }
    }
    this.send(t, start === 0 ? events : events.slice(start));
    this.closeIfIdle(t);
  }

  private send(t: Topic, events: ChatLogEvent[]): void {
    if (events.length === 0) return;
    t.lastPos = events[events.length - 1]!.pos;
    if (t.live.size === 0 && t.ahead.size === 0) return;
    const max = this.bounds.frameEventsMax;
    for (let i = 0; i < events.length; i += max) {
      const part = events.slice(i, i + max);
      const first = part[0]!.pos;
      const last = part[part.length - 1]!.pos;
      // followers ahead: those that lack all of this part simply join the publish; those
      // holding some of it get the rest alone, after the publish, and join for the next
      const partial: [ChatFollower, number][] = [];
      for (const [f, held] of t.ahead) {
        if (held < first) this.goLive(t, f);
        else if (held < last) partial.push([f, held]);
      }
      if (t.live.size > 0) {
        const frame = part.length === events.length ? framed.get(events) : undefined;
        this.deps.publish(t.name, frame ?? encodeServerFrame({ t: "chat_events", chatId: t.chatId, events: part }));
        this.deps.published?.(t.live.size, part.length * t.live.size);
      }
      for (const [f, held] of partial) {
        const rest = part.filter((e) => e.pos > held);
        f.sendChatFrame(encodeServerFrame({ t: "chat_events", chatId: t.chatId, events: rest }), rest.length);
        if (t.ahead.has(f)) this.goLive(t, f);
      }
    }
  }

  private async catchUp(t: Topic, f: ChatFollower): Promise<void> {
    await t.ready;
    for (;;) {
      if (this.topics.get(t.chatId) !== t) return;
      const pos = t.catching.get(f);
      if (pos === undefined) return; // unfollowed meanwhile
      if (pos >= t.lastPos) {
        // caught up: live from this very turn (see the invariant above)
        t.catching.delete(f);
        if (pos > t.lastPos) t.ahead.set(f, pos);
        else this.goLive(t, f);
        return;
      }
      const page = await this.deps.storage.chatLog.read(t.chatId, pos, this.bounds.pageMax);
      if (t.catching.get(f) !== pos || this.topics.get(t.chatId) !== t) return;
      if (page.length === 0 || page[0]!.pos !== pos + 1) {
        t.catching.delete(f);
        this.closeIfIdle(t);
        f.behind(t.chatId);
        return;
      }
      const upto = t.lastPos; // what the live followers have; the rest reaches f live
      let events = page.filter((e) => e.pos <= upto).map(wire);
      const cut = events.findIndex((e) => removedUsers(e).includes(f.userId));
      if (cut >= 0) events = events.slice(0, cut + 1);
      for (let i = 0; i < events.length; i += this.bounds.frameEventsMax) {
        const part = events.slice(i, i + this.bounds.frameEventsMax);
        f.sendChatFrame(encodeServerFrame({ t: "chat_events", chatId: t.chatId, events: part }), part.length);
      }
      if (cut >= 0) {
        t.catching.delete(f);
        this.closeIfIdle(t);
        f.unfollowed(t.chatId);
        return;
      }
      if (!t.catching.has(f)) return; // the sends closed the connection
      t.catching.set(f, events.length > 0 ? events[events.length - 1]!.pos : upto);
    }
  }

  private fail(t: Topic, e: unknown): void {
    if (this.topics.get(t.chatId) !== t) return;
    this.topics.delete(t.chatId);
    t.unsub();
    const all = [...this.liveFollowers(t), ...t.catching.keys()];
    for (const f of t.live) f.unsubscribe(t.name);
    t.live.clear();
    t.ahead.clear();
    t.catching.clear();
    for (const f of all) f.onError(e);
  }

  private closeIfIdle(t: Topic): void {
    if (t.live.size > 0 || t.ahead.size > 0 || t.catching.size > 0 || this.topics.get(t.chatId) !== t) return;
    this.topics.delete(t.chatId);
    t.unsub();
  }
}
