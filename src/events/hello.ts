// hello → welcome. Order matters for "no loss, no duplicates":
//  1. authenticate; 2. subscribe to the user's topics (live events now buffer in the
//  connection's Delivery); 3. read the session and the user again (not the token, which
//  cannot change), so a revocation published before the subscription is not missed;
//  4. read queueInfo; 5. resume, or build the snapshot;
//  6. welcome, then delivery begins after the resume point (or after queueInfo's
//  lastEventId for a snapshot). Every event committed after step 4 is > that id and is
//  either buffered live or read from storage, so it is delivered exactly once.
// The snapshot is built AFTER queueInfo, so it may already reflect events with ids
// above welcome.lastEventId; those are still delivered, and clients apply events
// idempotently (upsert/delete by id). Reading queueInfo after the snapshot instead could
// silently drop an event committed in between — so this order is the safe one.
//
// Chat logs (src/events/chat-fanout.ts) follow: the user's chats, most recently active
// first, are read BEFORE the snapshot (so their heads are at or below the snapshot's
// entries: what arrives between is a duplicate the client drops by pos, never a hole).
// A resume lists the positions the client holds; each chat with newer changes gets its
// difference — the missed events, or chat_reset when too far behind — then live events.
import { topics } from "../bus/port.ts";
import { AppError } from "../errors.ts";
import { BYE_REASONS } from "../protocol/close.ts";
import type { Hello } from "../protocol/frames.ts";
import { MIN_CLIENT_VERSION, PROTOCOL_VERSION } from "../protocol/version.ts";
import { limits } from "../limits.ts";
import type { Connection } from "./connection.ts";
import { decodeEphemeralPayload } from "./ephemeral.ts";
import { decodeControlPayload, decodeEventsPayload } from "./publish.ts";

// A hello allocates tens of KB that live for one turn (token checks, storage rows, the
// snapshot, the welcome's encoding). When every client says hello at once (a restart, a
// network blip), JSC lets the heap grow well past what is live before it collects, and
// the process keeps that high-water mark as RSS: ≈ 10 KiB per socket in
// `bun run bench messaging`. An asynchronous collection every HELLO_GC_EVERY welcomes
// bounds it; spread over that many hellos it costs a fraction of one hello's CPU.
const HELLO_GC_EVERY = 100;
let welcomes = 0;
function welcomed(): void {
  if (++welcomes % HELLO_GC_EVERY === 0) Bun.gc(false);
}

const AUTH_BYES = ["unauthenticated", "token_expired", "session_revoked", "account_disabled"] as const;

export async function handleHello(c: Connection, hello: Hello): Promise<void> {
  if (hello.v < MIN_CLIENT_VERSION) {
    return c.bye("client_too_old", `Protocol ${hello.v} is too old; this server needs ${MIN_CLIENT_VERSION}`, {
      minVersion: MIN_CLIENT_VERSION,
      serverVersion: PROTOCOL_VERSION,
    });
  }
  if (hello.v > PROTOCOL_VERSION) {
    return c.bye("server_too_old", `This server speaks protocol ${PROTOCOL_VERSION}`, { serverVersion: PROTOCOL_VERSION });
  }
  const listed = hello.resume?.chats ?? [];
  if (listed.length > limits.resumeChatsMax) {
    return c.bye("invalid_hello", `hello.resume.chats lists at most ${limits.resumeChatsMax} chats`, { field: "resume.chats", limit: limits.resumeChatsMax });
  }
  const auth = await c.hub.authenticate.token(hello.token).catch((e) => refused(c, e));
  if (!auth || c.state !== "authenticating") return;
  c.userId = auth.userId;
  c.sessionId = auth.sessionId;
  const max = c.hub.limits.connectionsPerUserMax;
  if (!c.hub.admitUser(c)) return c.bye("too_many_connections", `At most ${max} connections per user`, { limit: max });
  subscribe(c);
  const live = await c.hub.authenticate.live(auth).then(() => true, (e) => refused(c, e));
  if (!live || c.state !== "authenticating") return;
  c.hub.seen.seen(c.sessionId, c.hub.deps.now(), c.socket.ip);
  const info = await c.hub.deps.storage.events.queueInfo(c.userId);
  if (c.state !== "authenticating") return;
  const base = { t: "welcome", v: PROTOCOL_VERSION, queueId: info.queueId, lastEventId: info.lastEventId, server: c.hub.server } as const;
  const r = hello.resume;
  const chats = await c.hub.deps.storage.chatLog.following(c.userId, c.hub.limits.chatsFollowedMax);
  if (c.state !== "authenticating") return;
  if (r && r.queueId === info.queueId && r.lastEventId >= info.oldestEventId - 1 && r.lastEventId <= info.lastEventId) {
    c.opened();
    c.send({ ...base, resumed: true });
    welcomed();
    c.delivery.begin(r.lastEventId, info.lastEventId);
    await followChats(c, chats, new Map(listed.map((x) => [x.chatId, x.pos])));
    return;
  }
  const snapshot = await buildSnapshot(c);
  if (c.state !== "authenticating") return;
  const gap = r
    ? { code: "resume_gap", message: "The event queue no longer holds the resume point; start from this snapshot", data: { oldestEventId: info.oldestEventId } }
    : undefined;
  c.opened();
  c.send({ ...base, resumed: false, snapshot, gap });
  welcomed();
  c.delivery.begin(info.lastEventId, info.lastEventId);
  await followChats(c, chats, new Map());
}

/**
 * Follows the user's chats, in the order given (most recently active first). A chat the
 * client holds at an older position gets its difference first; one it does not list is
 * followed from the head read before welcome.
 */
async function followChats(c: Connection, chats: readonly { chatId: string; pos: number }[], held: ReadonlyMap<string, number>): Promise<void> {
  for (const { chatId, pos: head } of chats) {
    if (c.state !== "open") return;
    const at = held.get(chatId);
    if (at === undefined || at >= head) {
      c.followChat(chatId, at ?? head);
      continue;
    }
    const d = await c.hub.chatDifference(c.userId, chatId, at);
    if (d && c.state === "open") c.sendDifference(chatId, d);
  }
}

/** A failed authentication: says the matching bye; null. */
function refused(c: Connection, e: unknown): null {
  if (!(e instanceof AppError)) throw e;
  const reason = (AUTH_BYES as readonly string[]).includes(e.code) ? (e.code as (typeof AUTH_BYES)[number]) : "unauthenticated";
  c.bye(reason, BYE_REASONS[reason].desc);
  return null;
}

function subscribe(c: Connection): void {
  const bus = c.hub.deps.bus;
  c.onCleanup(bus.subscribe(topics.userEvents(c.userId), (p) => c.delivery.push(decodeEventsPayload(p))));
  c.onCleanup(bus.subscribe(topics.userEphemeral(c.userId), (p) => c.pushEphemeral(decodeEphemeralPayload(p))));
  c.onCleanup(
    bus.subscribe(topics.userControl(c.userId), (p) => {
      const msg = decodeControlPayload(p);
      if (msg?.kind === "user_disabled") c.bye("account_disabled", "The account was disabled");
      if (msg?.kind === "session_revoked" && msg.sessionId === c.sessionId) c.bye("session_revoked", "This session was revoked");
    }),
  );
}

async function buildSnapshot(c: Connection): Promise<Record<string, unknown>> {
  const parts = c.hub.modules.filter((m) => m.snapshot);
  const values = await Promise.all(parts.map((m) => m.snapshot!(c.userId)));
  return Object.fromEntries(parts.map((m, i) => [m.name, values[i]]));
}
