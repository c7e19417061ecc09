// The call store: call state (state.ts) fed by the app's event stream, plus the local
// media (tracks, mute/camera/screen) and the mediasoup side (media.ts, loaded on the first
// call so the chat app does not carry mediasoup-client until it is needed). Signalling
// goes only through net/connection.ts — the app's one WebSocket.
import { batch, createSignal } from "solid-js";
import { createStore, produce } from "solid-js/store";
import type { WireEvent } from "../../../src/protocol/frames.ts";
import type { CallResult, CallSource, CallInfo } from "../../../src/protocol/methods/calls.ts";
import { errorOf } from "../i18n/index.ts";
import * as net from "../net/connection.ts";
import { state as app } from "../sync/store.ts";
import { captureCamera, captureMic, captureScreen } from "./devices.ts";
import type { CallMedia, RemoteTrack } from "./media.ts";
import { applyCallEvent, applyCallsSnapshot, awaitsJoin, type CallsState, emptyCalls, isCallEvent, joined, startCurrent } from "./state.ts";

const [calls, setCalls] = createStore<CallsState>(emptyCalls());
export { calls };
const mutate = (fn: (s: CallsState) => void) => setCalls(produce(fn));

/** What this device sends: tracks are kept across rejoins, flags drive the controls. */
export interface Local {
  mic: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  screen: MediaStreamTrack | null;
  screenAudio: MediaStreamTrack | null;
  muted: boolean;
  deafened: boolean;
}
const noLocal = (): Local => ({ mic: null, camera: null, screen: null, screenAudio: null, muted: false, deafened: false });
const [local, setLocal] = createSignal<Local>(noLocal(), { equals: false });
const [remote, setRemote] = createSignal<Map<string, RemoteTrack>>(new Map(), { equals: false });
const [callError, setCallError] = createSignal("");
const [startedAt, setStartedAt] = createSignal(0);
export { local, remote, callError, setCallError, startedAt };

/** Changes the local flags/tracks in place and notifies (the signal never compares). */
export function updateLocal(fn: (l: Local) => void): void {
  const l = local();
  fn(l);
  setLocal(l);
}

let media: CallMedia | null = null;
let buffered: WireEvent[] = []; // events that arrive while call.join (first or rejoin) is in flight
const sourceTrack: Record<CallSource, (l: Local) => MediaStreamTrack | null> = {
  mic: (l) => l.mic,
  camera: (l) => l.camera,
  screen: (l) => l.screen,
  screen_audio: (l) => l.screenAudio,
};

const mediaEvents = {
  track: (t: RemoteTrack) => setRemote((m) => m.set(t.producerId, t)),
  trackGone: (id: string) => setRemote((m) => (m.delete(id), m)),
  broken: () => void rejoin(),
};

// ---- events from the app's stream ----

export function handleSnapshot(snap: Record<string, unknown>): void {
  mutate((s) => applyCallsSnapshot(s, snap.calls as { calls?: CallInfo[] } | undefined, app.me?.id ?? null));
  const c = calls.current;
  // After a resume gap: a call that is no longer live ended while we were away.
  if (c?.callId && !Object.values(calls.live).some((l) => l.callId === c.callId)) teardown();
}

export function handleEvent(e: WireEvent): void {
  if (!isCallEvent(e.type)) return;
  if (awaitsJoin(calls, e.type)) {
    buffered.push(e); // call.join (or a rejoin's) is in flight: applied after its answer
    return;
  }
  let todo: ReturnType<typeof applyCallEvent> = null;
  mutate((s) => void (todo = applyCallEvent(s, e.type as never, e.data, app.me?.id ?? null)));
  if (todo === "ended") teardown();
  else if (todo === "rejoin") void rejoin();
  else syncConsumers();
}

function syncConsumers(): void {
  const c = calls.current;
  if (media && c?.callId === media.callId && c.phase === "connected") void media.sync(Object.values(c.producers));
}

// ---- joining ----

/** Starts (or joins) the chat's call with the microphone, and the camera when `video`. */
export async function joinCall(chatId: string, video: boolean): Promise<void> {
  if (calls.current?.chatId === chatId) return;
  if (calls.current) await leaveCall();
  mutate((s) => startCurrent(s, chatId));
  setCallError("");
  setStartedAt(Date.now());
  try {
    const l = local();
    l.mic ??= await captureMic().catch(() => null); // no microphone: join listening only
    if (video) l.camera ??= await captureCamera().catch(() => null);
    l.muted = l.muted || !l.mic;
    setLocal(l);
    await connect(chatId);
  } catch (e) {
    setCallError(errorOf(e));
    teardown();
  }
}

/** call.join, then the transports, our producers and consumers for everyone else's. */
async function connect(chatId: string): Promise<void> {
  buffered = [];
  const r: CallResult<"call.join"> = await net.request("call.join", { chatId });
  if (calls.current?.chatId !== chatId) return void net.request("call.leave", { callId: r.callId }).catch(() => undefined);
  media?.close();
  const { CallMedia } = await import("./media.ts");
  const m = await CallMedia.open(net.request, r, mediaEvents);
  if (calls.current?.chatId !== chatId) return m.close();
  media = m;
  const early = buffered.filter((e) => (e.data as { callId?: string }).callId === r.callId);
  buffered = [];
  batch(() => {
    mutate((s) => joined(s, r));
    for (const e of early) handleEvent(e);
  });
  const l = local();
  for (const source of ["mic", "camera", "screen", "screen_audio"] as const) {
    const track = sourceTrack[source](l);
    if (track && track.readyState === "live") await m.produce(source, track, source === "mic" && l.muted);
  }
  if (l.deafened || (l.muted && !l.mic)) await net.request("call.set_state", { callId: r.callId, muted: l.muted, deafened: l.deafened });
  syncConsumers();
}

let rejoining: Promise<void> | null = null;
/** The server lost our media (worker restart) or ICE could not recover: join again, same tracks. */
function rejoin(): Promise<void> {
  const chatId = calls.current?.chatId;
  if (!chatId) return Promise.resolve();
  rejoining ??= (async () => {
    media?.close();
    media = null;
    mutate((s) => s.current && (s.current.phase = "rejoining"));
    for (let attempt = 0; attempt < 3 && calls.current?.chatId === chatId; attempt++) {
      try {
        return await connect(chatId);
      } catch {
        await new Promise((r) => setTimeout(r, 1_000 * (attempt + 1)));
      }
    }
    setCallError("rejoin");
    teardown();
  })().finally(() => (rejoining = null));
  return rejoining;
}

export function acceptCall(video: boolean): void {
  const inc = calls.incoming;
  if (inc) void joinCall(inc.chatId, video);
}

export function declineCall(): void {
  const inc = calls.incoming;
  if (!inc) return;
  mutate((s) => (s.incoming = null));
  void net.request("call.decline", { callId: inc.callId }).catch(() => undefined);
}

export async function leaveCall(): Promise<void> {
  const callId = calls.current?.callId;
  teardown();
  if (callId) await net.request("call.leave", { callId }).catch(() => undefined);
}

/** Stops everything local: media, tracks, state. */
export function teardown(): void {
  media?.close();
  media = null;
  buffered = [];
  const l = local();
  for (const t of [l.mic, l.camera, l.screen, l.screenAudio]) t?.stop();
  setLocal(noLocal());
  setRemote(new Map());
  mutate((s) => (s.current = null));
}

export const mediaNow = () => media;
