// From committed events to pushes. Runs after the commit (a CommitObservers listener),
// never inside a transaction; everything here is best effort and only logs on failure.
//   message.created → chat members except the sender who have a subscription; not for
//     silent sends; policy.ts per recipient; skipped if the recipient blocked the sender;
//     then per (recipient, chat) coalescing: the first message is pushed at once, those
//     within limits.pushCoalesceMs after it become one "N new messages" push at the end
//     of the window (unless the recipient read them meanwhile).
//   call.ring → the callee (short TTL, high urgency; callsBypassDnd).
// Each push goes to the recipient's sessions with a subscription and no visible live
// connection (visibility.ts).
import { limits } from "../limits.ts";
import type { Counter } from "../metrics/port.ts";
import type { Deps } from "../core/deps.ts";
import type { Message } from "../storage/chats-port.ts";
import type { PushSubscriptionRow, NotifySettings } from "../storage/push-port.ts";
import type { ChatLogEvent, StoredEvent } from "../storage/port.ts";
import type { PushPayload } from "../protocol/methods/push.ts";
import { actionToken } from "./action.ts";
import { fromB64u } from "./b64.ts";
import { callPayload, contentFree, type MessageFacts, messagePayload, topicFor } from "./payload.ts";
import { type Candidate, decideCall, decideMessage } from "./policy.ts";
import type { PushJob, PushQueue } from "./queue.ts";
import type { VisibilityTracker } from "./visibility.ts";

interface Window {
  count: number;
  pending: { facts: MessageFacts; hide: boolean; urgent: boolean } | null;
  timer: ReturnType<typeof setTimeout>;
}

export class Notifier {
  private readonly windows = new Map<string, Window>();
  private readonly skipped: Counter;
  private readonly running = new Set<Promise<void>>();
  /** Rings pushed and not yet ended: a missed call replaces its ringing notification. Bounded. */
  private readonly rang = new Map<string, { calleeId: string; chatId: string; callId: string; callerName: string; hide: boolean }>();

  constructor(
    private readonly deps: Deps,
    private readonly queue: PushQueue,
    private readonly visibility: VisibilityTracker,
    private readonly coalesceMs: number = limits.pushCoalesceMs,
  ) {
    this.skipped = deps.metrics.counter("hearth_push_skipped_total", "Recipients not pushed to, by why (muted, level_none, not_mentioned, dnd, blocked, visible, read).");
  }

  /** A CommitObserver: message.created comes from the chat logs (once per message), call.* from the user logs. */
  observe(events: readonly StoredEvent[], chatEvents: readonly ChatLogEvent[] = []): void {
    for (const e of chatEvents) if (e.type === "message.created") this.track(this.onMessage((e.data as { message: Message }).message));
    for (const e of events) {
      if (e.type === "call.rang") {
        this.track(this.onRing(e.userId, e.data as { callId: string; chatId: string; from: string }, e.at));
      } else if (e.type === "call.ended") {
        const d = e.data as { callId: string; chatId: string; reason: string };
        const rang = this.rang.get(d.callId);
        if (rang?.calleeId === e.userId) {
          this.rang.delete(d.callId);
          if (d.reason === "missed") this.track(this.onMissed(rang, e.at));
        }
      }
    }
  }

  /** Coalescing windows open now (a test waits for 0: every summary push was decided). */
  get openWindows(): number {
    return this.windows.size;
  }

  /** Resolves when every started reaction has enqueued its pushes (tests, bench). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  stop(): void {
    for (const w of this.windows.values()) clearTimeout(w.timer);
    this.windows.clear();
  }

  private track(p: Promise<void>): void {
    const q = p.catch((err) => this.deps.log.warn("push reaction failed", { err: String(err) })).finally(() => this.running.delete(q));
    this.running.add(q);
  }

  private async onMessage(m: Message): Promise<void> {
    if (m.silent || m.deletedAt !== null) return;
    const { storage } = this.deps;
    const audience = await storage.push.audience(m.chatId, m.senderId);
    if (audience.length === 0) return;
    const settings = await storage.push.settings(audience.map((a) => a.userId));
    const mentioned = new Set(m.entities.flatMap((e) => (e.type === "mention" ? [e.userId] : [])));
    const mentionsAll = m.entities.some((e) => e.type === "mention_all");
    const now = this.deps.now();
    const facts = await this.factsOf(m);
    if (!facts) return;
    for (const a of audience) {
      const s = settings.get(a.userId)!;
      const why = decideMessage({ level: a.notifyLevel, muteUntil: a.muteUntil, settings: s }, { mentioned: mentioned.has(a.userId), mentionsAll }, now);
      if (why !== "push") {
        this.skipped.inc({ why });
        continue;
      }
      if (await storage.chats.isBlocked(a.userId, m.senderId)) {
        this.skipped.inc({ why: "blocked" });
        continue;
      }
      const urgent = facts.direct || mentioned.has(a.userId) || (mentionsAll && s.allMentionsNotify);
      this.coalesce(a.userId, facts, s.hideContent, urgent);
    }
  }

  private async factsOf(m: Message): Promise<MessageFacts | null> {
    const [view, sender] = await Promise.all([this.deps.storage.chats.view(m.chatId, m.senderId), this.deps.storage.users.byId(m.senderId)]);
    if (!view) return null;
    const senderName = sender?.displayName || sender?.username || "Someone";
    const direct = view.chat.kind === "direct" || view.chat.kind === "saved";
    return {
      chatId: m.chatId,
      chatTitle: direct ? senderName : view.chat.title,
      senderName,
      senderId: m.senderId,
      messageId: m.id,
      seq: m.seq,
      text: m.text,
      group: view.chat.kind === "group",
      direct,
      at: m.createdAt,
    };
  }

  private coalesce(userId: string, facts: MessageFacts, hide: boolean, urgent: boolean): void {
    const key = `${userId}|${facts.chatId}`;
    const w = this.windows.get(key);
    if (w) {
      w.count++;
      w.pending = { facts, hide, urgent: urgent || (w.pending?.urgent ?? false) };
      return;
    }
    if (this.windows.size < limits.pushCoalescingMax) this.open(key, userId);
    this.track(this.pushMessage(userId, facts, 1, hide, urgent));
  }

  private open(key: string, userId: string): void {
    const timer = setTimeout(() => this.close(key, userId), this.coalesceMs);
    timer.unref?.();
    this.windows.set(key, { count: 1, pending: null, timer });
  }

  /** End of a window: one push for what came during it, and a new window after it. */
  private close(key: string, userId: string): void {
    const w = this.windows.get(key);
    this.windows.delete(key);
    if (!w?.pending) return;
    const { facts, hide, urgent } = w.pending;
    this.open(key, userId);
    this.windows.get(key)!.count = w.count;
    this.track(
      (async () => {
        const read = await this.deps.storage.messages.readState(facts.chatId, userId);
        if (read && read.readSeq >= facts.seq) return void this.skipped.inc({ why: "read" });
        await this.pushMessage(userId, facts, w.count, hide, urgent);
      })(),
    );
  }

  private async pushMessage(userId: string, facts: MessageFacts, count: number, hide: boolean, urgent: boolean): Promise<void> {
    const payload = messagePayload(facts, count, hide);
    const how = { ttlSec: limits.pushMessageTtlSec, urgency: urgent ? ("high" as const) : ("normal" as const), topic: topicFor(facts.chatId) };
    await this.toSessions(userId, payload, how, undefined, { chatId: facts.chatId, seq: facts.seq });
  }

  private async onRing(calleeId: string, ring: { callId: string; chatId: string; from: string }, at: number): Promise<void> {
    const { storage } = this.deps;
    const [view, settings, caller] = await Promise.all([storage.chats.view(ring.chatId, calleeId), storage.push.settings([calleeId]), storage.users.byId(ring.from)]);
    const m = view?.membership;
    if (!m) return;
    const s = settings.get(calleeId)!;
    const why = decideCall({ level: m.notifyLevel, muteUntil: m.muteUntil, settings: s } satisfies Candidate, this.deps.now());
    if (why !== "push") return void this.skipped.inc({ why });
    const callerName = caller?.displayName || caller?.username || "Someone";
    const payload = callPayload({ callId: ring.callId, chatId: ring.chatId, callerName, at }, s.hideContent);
    if ((await this.toSessions(calleeId, payload, { ttlSec: limits.pushCallTtlSec, urgency: "high" })) === 0) return;
    if (this.rang.size >= limits.pushRingsTrackedMax) this.rang.delete(this.rang.keys().next().value!);
    this.rang.set(ring.callId, { calleeId, chatId: ring.chatId, callId: ring.callId, callerName, hide: s.hideContent });
  }

  /** The ring went unanswered: "Missed call" in place of the ringing notification (same tag). */
  private async onMissed(r: { calleeId: string; chatId: string; callId: string; callerName: string; hide: boolean }, at: number): Promise<void> {
    const payload = callPayload({ ...r, at, missed: true }, r.hide);
    await this.toSessions(r.calleeId, payload, { ttlSec: limits.pushMessageTtlSec, urgency: "normal" });
  }

  /** Queues the payload for each of the user's sessions that has a subscription and no visible connection. */
  async toSessions(
    userId: string,
    payload: PushPayload,
    how: Pick<PushJob, "ttlSec" | "urgency" | "topic">,
    only?: PushSubscriptionRow[],
    grant?: { chatId: string; seq: number },
  ): Promise<number> {
    const subs = only ?? (await this.deps.storage.push.forUsers([userId]));
    let queued = 0;
    for (const sub of subs) {
      if (!only && this.visibility.visible(sub.sessionId)) {
        this.skipped.inc({ why: "visible" });
        continue;
      }
      // the buttons' capability is per session (action.ts)
      const action = grant && actionToken(this.deps.secrets.get("push-action-key"), { sessionId: sub.sessionId, ...grant }, this.deps.now());
      const job = jobFor(sub, action ? { ...payload, action } : payload, how);
      if (job && this.queue.enqueue(job)) queued++;
    }
    return queued;
  }
}

function jobFor(sub: PushSubscriptionRow, payload: PushPayload, how: Pick<PushJob, "ttlSec" | "urgency" | "topic">): PushJob | null {
  const p256dh = fromB64u(sub.p256dh);
  const auth = fromB64u(sub.auth);
  if (!p256dh || !auth) return null;
  const small = { ...contentFree(payload), ...(payload.action ? { action: payload.action } : {}) };
  return { userId: sub.userId, sessionId: sub.sessionId, endpoint: sub.endpoint, p256dh, auth, payload, small, ...how };
}

export type { NotifySettings };
