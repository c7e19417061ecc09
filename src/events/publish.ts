// After a commit, tell the live connections: one bus message per user carrying that
// user's new user-log events in id order, and one per chat carrying the chat-log events
// in pos order (every process's ChatFanout turns it into ONE encoded frame for all of
// the chat's local followers, src/events/chat-fanout.ts). Losing one is harmless (see
// delivery.ts and chat-fanout.ts), so a bus failure is logged, never thrown at the
// caller whose write already committed.
import { topics, type Bus, type BusControl } from "../bus/port.ts";
import type { Logger } from "../log/port.ts";
import { decode, encode, encodeServerFrame } from "../protocol/codec.ts";
import type { ChatLogEvent as WireChatLogEvent } from "../protocol/frames.ts";
import type { ChatLogEvent, StoredEvent } from "../storage/port.ts";
import type { OutEvent } from "./delivery.ts";
import type { CommitObservers } from "../core/observers.ts";

/** What a write committed: user-log events and, when it touched a chat's log, chat events. */
export interface CommittedEvents {
  events: readonly StoredEvent[];
  chatEvents?: readonly ChatLogEvent[];
}

/**
 * The payload of topics.chatLog: one chat's new events, pos ascending and contiguous,
 * encoded as the very `chat_events` frame clients get.
 */
export interface ChatLogBatch {
  chatId: string;
  events: WireChatLogEvent[];
  /** This process published it: the payload itself, a frame ready for the chat's live followers. */
  frame?: Uint8Array;
}

export async function publishCommitted(deps: { bus: Bus; log?: Logger; observers?: CommitObservers }, done: readonly StoredEvent[] | CommittedEvents): Promise<void> {
  const { events, chatEvents = [] } = Array.isArray(done) ? { events: done as readonly StoredEvent[] } : (done as CommittedEvents);
  if (events.length === 0 && chatEvents.length === 0) return;
  deps.observers?.notify(events, chatEvents);
  const byUser = new Map<string, OutEvent[]>();
  for (const e of events) {
    let list = byUser.get(e.userId);
    if (!list) byUser.set(e.userId, (list = []));
    list.push({ id: e.id, type: e.type, data: e.data, at: e.at });
  }
  const byChat = new Map<string, WireChatLogEvent[]>();
  for (const e of chatEvents) {
    let list = byChat.get(e.chatId);
    if (!list) byChat.set(e.chatId, (list = []));
    list.push({ pos: e.pos, type: e.type, data: e.data, at: e.at });
  }
  const warn = (what: object) => (e: unknown) => deps.log?.warn("event publish failed; delivery will read storage", { ...what, err: String(e) });
  const sends = [
    ...[...byUser].map(([userId, list]) => deps.bus.publish(topics.userEvents(userId), encode(list.sort((a, b) => a.id - b.id))).catch(warn({ userId }))),
    ...[...byChat].map(([chatId, list]) => {
      const events = list.sort((a, b) => a.pos - b.pos);
      const payload = encodeServerFrame({ t: "chat_events", chatId, events });
      published.set(payload, { chatId, events, frame: payload });
      return deps.bus.publish(topics.chatLog(chatId), payload).catch(warn({ chatId }));
    }),
  ];
  await Promise.all(sends);
}

// A chat batch this process published comes back as the object it was encoded from: the
// in-process bus delivers the very same bytes, so decoding them again (msgpack strings are
// decoded in JS here: ≈ 5 µs of a durable send) would only rebuild what is in hand, and the
// bytes are already the frame to send. Bytes from another node (a network bus) are new
// objects, decoded below; the fan-out encodes its own frame from them.
const published = new WeakMap<Uint8Array, ChatLogBatch>();

/** Decodes a topics.chatLog payload; null for anything malformed. */
export function decodeChatLogPayload(payload: Uint8Array): ChatLogBatch | null {
  const mine = published.get(payload);
  if (mine) return mine;
  try {
    const v = decode(payload) as ChatLogBatch;
    if (!v || typeof v.chatId !== "string" || !Array.isArray(v.events)) return null;
    const events = v.events.filter((e) => Number.isSafeInteger(e?.pos) && e.pos > 0 && typeof e.type === "string");
    return { chatId: v.chatId, events };
  } catch {
    return null; // a foreign or corrupt message: storage still has the events
  }
}

// The in-process bus hands the same payload to every connection of a user: decode once.
const decoded = new WeakMap<Uint8Array, OutEvent[]>();

/** Decodes a topics.userEvents payload; [] for anything malformed. */
export function decodeEventsPayload(payload: Uint8Array): OutEvent[] {
  const hit = decoded.get(payload);
  if (hit) return hit;
  let list: OutEvent[] = [];
  try {
    const v = decode(payload);
    if (Array.isArray(v)) list = v.filter((e): e is OutEvent => typeof e?.id === "number" && typeof e?.type === "string");
  } catch {
    // a foreign or corrupt message: storage still has the events
  }
  decoded.set(payload, list);
  return list;
}

/** Makes a user's live connections react at once (revoked session, disabled account). */
export async function publishControl(bus: Bus, userId: string, msg: BusControl): Promise<void> {
  await bus.publish(topics.userControl(userId), encode(msg));
}

export function decodeControlPayload(payload: Uint8Array): BusControl | null {
  try {
    const v = decode(payload) as BusControl;
    return v && (v.kind === "user_disabled" || (v.kind === "session_revoked" && typeof v.sessionId === "string")) ? v : null;
  } catch {
    return null;
  }
}
