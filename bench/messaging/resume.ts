// The resume run for bench/messaging.ts: a client ("returner") in `chats` groups takes
// its welcome snapshot (the position of each chat), goes away while the fan sender writes
// `big` messages into one chat and `perChat` into each other, then comes back with
// hello.resume carrying all its positions. Measured from opening the socket: the welcome,
// and the moment every chat has reached its head (chat_events up to it, or a chat_reset
// at it), with every byte received; next to a fresh start (hello without resume: the
// snapshot a client without positions would take instead).
import { decodeServerFrame, encodeClientFrame } from "../../src/protocol/codec.ts";
import { PROTOCOL_VERSION } from "../../src/protocol/version.ts";
import { openSocket } from "./fanout.ts";

export interface ResumeRun {
  chats: number;
  changes: number;
  welcomeMs: number;
  caughtUpMs: number; // NaN: not every chat reached its head within CATCH_UP_WAIT_MS_MAX
  bytes: number;
  frames: number;
  chatEventFrames: number;
  chatEvents: number;
  resets: number;
  userEvents: number;
  fresh: { ms: number; bytes: number };
  note?: string;
}

const CATCH_UP_WAIT_MS_MAX = 60_000;
const IN_FLIGHT_MAX = 100;
type Entry = { chat: { id: string }; pos?: number };
type Welcome = { t: "welcome"; queueId: string; lastEventId: number; snapshot?: { chats?: { chats: Entry[] } } };

/** hello, the welcome, and the bytes it took; the socket is closed. */
async function welcomeOf(url: string, token: string): Promise<{ w: Welcome; ms: number; bytes: number }> {
  const t0 = performance.now();
  const ws = await openSocket(url);
  return new Promise((resolve) => {
    ws.onmessage = (m) => {
      const bytes = (m.data as ArrayBuffer).byteLength;
      const r = decodeServerFrame(new Uint8Array(m.data as ArrayBuffer));
      if (!r.ok || r.frame.t !== "welcome") return;
      ws.close();
      resolve({ w: r.frame as unknown as Welcome, ms: performance.now() - t0, bytes });
    };
    ws.send(encodeClientFrame({ t: "hello", v: PROTOCOL_VERSION, token }));
  });
}

/** Sends `count` messages into chatId from an open socket, at most IN_FLIGHT_MAX unanswered. */
async function writes(ws: WebSocket, plan: { chatId: string; count: number }[]): Promise<number> {
  let inFlight = 0;
  let answered = 0;
  let sent = 0;
  let wake: () => void = () => {};
  ws.onmessage = (m) => {
    const r = decodeServerFrame(new Uint8Array(m.data as ArrayBuffer));
    if (!r.ok || r.frame.t !== "res") return;
    inFlight--;
    answered++;
    wake();
  };
  for (const { chatId, count } of plan) {
    for (let k = 0; k < count; k++) {
      while (inFlight >= IN_FLIGHT_MAX) await new Promise<void>((r) => (wake = r));
      inFlight++;
      sent++;
      ws.send(encodeClientFrame({ t: "req", id: sent, method: "message.send", params: { chatId, clientId: `away-${sent}`, text: `away ${sent}` } }));
    }
  }
  while (answered < sent) await new Promise<void>((r) => (wake = r));
  return sent;
}

export async function resumeRun(url: string, s: { returnerToken: string; fanSenderToken: string; returnerChatIds: string[] }, o: { big: number; perChat: number }): Promise<ResumeRun> {
  const before = await welcomeOf(url, s.returnerToken);
  const held = new Map((before.w.snapshot?.chats?.chats ?? []).map((e) => [e.chat.id, e.pos]));
  const chatIds = s.returnerChatIds;
  const empty = { chats: chatIds.length, changes: 0, welcomeMs: NaN, caughtUpMs: NaN, bytes: 0, frames: 0, chatEventFrames: 0, chatEvents: 0, resets: 0, userEvents: 0, fresh: { ms: before.ms, bytes: before.bytes } };
  if (chatIds.some((id) => typeof held.get(id) !== "number")) return { ...empty, note: "the snapshot has no chat positions (server before chat logs)" };

  const sender = await openSocket(url);
  await new Promise<void>((resolve) => {
    sender.onmessage = () => resolve();
    sender.send(encodeClientFrame({ t: "hello", v: PROTOCOL_VERSION, token: s.fanSenderToken }));
  });
  const changes = await writes(sender, chatIds.map((chatId, i) => ({ chatId, count: i === 0 ? o.big : o.perChat })));
  sender.close();
  const fresh = await welcomeOf(url, s.returnerToken); // also: the heads
  const heads = new Map((fresh.w.snapshot?.chats?.chats ?? []).map((e) => [e.chat.id, e.pos!]));

  const r: ResumeRun = { ...empty, changes, fresh: { ms: fresh.ms, bytes: fresh.bytes } };
  const reached = new Map<string, number>();
  const t0 = performance.now();
  const ws = await openSocket(url);
  const done = new Promise<void>((resolve) => {
    ws.onmessage = (m) => {
      r.bytes += (m.data as ArrayBuffer).byteLength;
      r.frames++;
      const d = decodeServerFrame(new Uint8Array(m.data as ArrayBuffer));
      if (!d.ok) return;
      const f = d.frame as unknown as { t: string; chatId?: string; pos?: number; events?: { pos?: number }[] };
      if (f.t === "welcome") r.welcomeMs = performance.now() - t0;
      else if (f.t === "events") r.userEvents += f.events!.length;
      else if (f.t === "chat_events") {
        r.chatEventFrames++;
        r.chatEvents += f.events!.length;
        reached.set(f.chatId!, f.events!.at(-1)!.pos!);
      } else if (f.t === "chat_reset") {
        r.resets++;
        reached.set(f.chatId!, f.pos!);
      }
      if (chatIds.every((id) => (reached.get(id) ?? held.get(id)!) >= heads.get(id)!)) {
        r.caughtUpMs = performance.now() - t0;
        resolve();
      }
    };
  });
  ws.send(
    encodeClientFrame({
      t: "hello",
      v: PROTOCOL_VERSION,
      token: s.returnerToken,
      resume: { queueId: before.w.queueId, lastEventId: before.w.lastEventId, chats: chatIds.map((chatId) => ({ chatId, pos: held.get(chatId)! })) },
    } as never),
  );
  await Promise.race([done, Bun.sleep(CATCH_UP_WAIT_MS_MAX)]);
  ws.close();
  if (Number.isNaN(r.caughtUpMs)) r.note = `not every chat reached its head within ${CATCH_UP_WAIT_MS_MAX / 1000} s`;
  return r;
}
