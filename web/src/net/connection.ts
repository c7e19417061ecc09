// The ONE WebSocket of the app: a single src/client instance per signed-in session. Screens
// never see the socket; they call `request()` and read state that sync/ builds from events.
// Tokens: the refresh token lives in localStorage (sync/session.ts). IndexedDB would be
// no safer — any script running in the page can read both — and an HttpOnly cookie is not
// what the server speaks. The defence is to never run injected script (no innerHTML with
// user text anywhere, see messages/markdown.ts) plus the server's single-use refresh
// tokens, which revoke the session when a stolen one is replayed.
import { createSignal } from "solid-js";
import { type AuthSource, type ChatReset, type ClientError, type ClientEvent, createClient, type HearthClient } from "../../../src/client/index.ts";
import { sharedAuth, type TokenStore } from "./auth.ts";
import type { EphemeralDataOf } from "../../../src/protocol/ephemeral.ts";
import type { Welcome } from "../../../src/protocol/frames.ts";
import type { MethodName, ParamsOf, ResultOf } from "../../../src/protocol/methods/index.ts";

export type NetStatus = "connecting" | "online" | "offline";

export interface Sink {
  snapshot(snapshot: Record<string, unknown>, welcome: Welcome): void;
  /** A user-log event (id > 0) or a chat log change (chatId and pos set), each once and in order. */
  event(e: ClientEvent): void;
  /** A chat was too far behind on resume: drop what its log built, take the entry. */
  chatReset(r: ChatReset): void;
  typing(d: EphemeralDataOf<"typing.changed">): void;
  presence(d: EphemeralDataOf<"presence.changed">): void;
  online(): void; // every (re)connection, resumed or not
  signedOut(reason: string): void;
}

const [status, setStatus] = createSignal<NetStatus>("connecting");
export { status };

let client: HearthClient | null = null;
let auth: AuthSource | null = null;

/** The signed-in session's tokens for HTTP requests beside the socket (uploads). */
export const httpAuth = (): AuthSource | null => auth;

function wsUrl(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
}

function reloadForUpgrade(): boolean {
  const key = "hearth-upgrade-reload";
  const last = Number(sessionStorage.getItem(key) ?? 0);
  if (Date.now() - last < 60_000) return false;
  sessionStorage.setItem(key, String(Date.now()));
  location.reload();
  return true;
}

export function start(tokens: TokenStore, sink: Sink): void {
  stop();
  const a = sharedAuth(location.origin, tokens);
  auth = a;
  let last: NetStatus | "" = "";
  let opened: Welcome | null = null; // the welcome of the connection open now
  let told: Welcome | null = null; // the last one the sink heard of
  // The client's status drives the offline banner; each welcome is a finished
  // (re)connection: the outbox flushes then and the page reports its visibility (every
  // connection starts with no per-connection state). The browser's own offline flag counts
  // at once: a socket can look open for a while after the network went.
  const show = () => {
    const s = !navigator.onLine ? "offline" : c.status === "open" ? "online" : c.status === "connecting" && last === "" ? "connecting" : "offline";
    if (s !== last) setStatus(s);
    last = s;
    if (s === "online" && opened && opened !== told) {
      told = opened;
      sink.online();
    }
  };
  const c = createClient({
    url: wsUrl(),
    auth: a,
    clientInfo: { name: "hearth-web", version: "1" },
    ackDelayMs: 300,
    pingIntervalMs: 10_000,
    backoffMaxMs: 5_000,
    onSnapshot: (snap, w) => sink.snapshot(snap, w),
    onStatus: (s, w) => {
      if (c !== client) return;
      opened = s === "open" ? w : null;
      show();
    },
    onClosed: (reason) => {
      if (c !== client) return;
      // The server was upgraded past this page's protocol: the page itself is outdated, not
      // the session. A reload fetches the new client (the service worker is network-first
      // for pages); once per minute at most, so a server that refuses anyway cannot loop us.
      if (reason === "client_too_old" && reloadForUpgrade()) return;
      sink.signedOut(reason);
    },
  });
  client = c;
  c.on("*", (_data, e) => sink.event(e));
  c.onChatReset((r) => sink.chatReset(r));
  c.onEphemeral("typing.changed", (d) => sink.typing(d));
  c.onEphemeral("presence.changed", (d) => sink.presence(d));
  void c.connect().catch(() => undefined);
  // The browser knows about a lost network first: the banner shows at once (the socket's
  // close may take long to come on a dead network), and the socket is dropped so the client
  // reconnects. It also tells when the network is back (the banner follows; the client
  // reconnects on its own).
  onBrowserOffline = () => {
    show();
    c.drop();
  };
  onBrowserOnline = show;
  addEventListener("offline", onBrowserOffline);
  addEventListener("online", onBrowserOnline);
}

let onBrowserOffline: (() => void) | null = null;
let onBrowserOnline: (() => void) | null = null;

export function stop(): void {
  if (onBrowserOffline) removeEventListener("offline", onBrowserOffline);
  if (onBrowserOnline) removeEventListener("online", onBrowserOnline);
  onBrowserOffline = null;
  onBrowserOnline = null;
  const c = client;
  client = null;
  auth = null;
  c?.close();
  setStatus("connecting");
}

export function request<M extends MethodName>(method: M, params: ParamsOf<M>, opts?: { timeoutMs?: number }): Promise<ResultOf<M>> {
  if (!client) return Promise.reject(Object.assign(new Error("Not connected"), { code: "disconnected" }));
  return client.request(method, params, opts);
}

export type { ClientError };
