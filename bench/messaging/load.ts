// A load process for bench/messaging.ts: WebSocket clients driven by JSON-line commands
// on stdin, answering JSON lines on stdout. Raw WebSocket + the protocol codec (the
// typed client's bookkeeping would only add client-side cost). Receivers time each
// message.created from the send time carried in its text: "b <epoch µs>".
//   connect {url, tokens, hello}  → {n}        open sockets (hello: Hearth handshake)
//   measure {}                    → {}         start counting deliveries and latencies
//   count {}                      → {deliveries, lastAt}   while measuring
//   report {}                     → {deliveries, lat: µs[], lastAt, gapUsMax}   and stop measuring
// gapUsMax: the longest time between two deliveries this process saw (first to last).
//   send {chatIds, durationMs}    → {sent, errors}  each socket sends message.send in a loop, one in flight
//                                                  (sent: answered with a result; errors: with an error)
//   close {}                      → exits
import { Decoder } from "@msgpack/msgpack";
import { encodeClientFrame } from "../../src/protocol/codec.ts";
import { PROTOCOL_VERSION } from "../../src/protocol/version.ts";

const decoder = new Decoder();
const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;
const sockets: WebSocket[] = [];
const pending = new Map<number, (ok: boolean) => void>();
let measuring = false;
let deliveries = 0;
let lat: number[] = [];
let lastAt = 0; // µs epoch of the latest counted delivery
let gapUsMax = 0;
let reqId = 0;
let sendSeq = 0;

function onFrame(bytes: Uint8Array, onWelcome: () => void): void {
  const f = decoder.decode(bytes) as { t: string; id?: number; error?: unknown; events?: { type: string; data: any }[] };
  if (f.t === "welcome") return onWelcome();
  if (f.t === "res") return pending.get(f.id!)?.(f.error === undefined);
  if ((f.t !== "events" && f.t !== "chat_events") || !measuring) return;
  const now = nowUs();
  for (const e of f.events!) {
    const text = e.data?.message?.text;
    if (e.type !== "message.created" || typeof text !== "string" || !text.startsWith("b ")) continue;
    if (deliveries > 0) gapUsMax = Math.max(gapUsMax, now - lastAt);
    deliveries++;
    lastAt = now;
    if (lat.length < 2_000_000) lat.push(now - Number(text.slice(2)));
  }
}

function open(url: string, token: string, hello: boolean): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    ws.onmessage = (m) => onFrame(new Uint8Array(m.data as ArrayBuffer), () => resolve(ws));
    ws.onerror = () => reject(new Error(`cannot open ${url}`));
    ws.onclose = (e) => reject(new Error(`closed before the welcome: ${e.code} ${e.reason}`)); // no-op once resolved
    ws.onopen = () => {
      if (!hello) return resolve(ws);
      ws.send(encodeClientFrame({ t: "hello", v: PROTOCOL_VERSION, token }));
    };
  });
}

async function connect(url: string, tokens: string[], hello: boolean) {
  // handshakes in flight, across the load processes, stay under the server's
  // limits.unauthenticatedSocketsPerIpMax (32 per address: all load comes from 127.0.0.1)
  const BATCH = 12;
  for (let i = 0; i < tokens.length; i += BATCH) sockets.push(...(await Promise.all(tokens.slice(i, i + BATCH).map((t) => open(url, t, hello)))));
  return { n: sockets.length };
}

/** Resolves with whether the answer was a result (not an error). */
function call(ws: WebSocket, method: string, params: unknown): Promise<boolean> {
  const id = ++reqId;
  return new Promise((resolve) => {
    pending.set(id, (ok) => {
      pending.delete(id);
      resolve(ok);
    });
    ws.send(encodeClientFrame({ t: "req", id, method, params }));
  });
}

async function send(chatIds: string[], durationMs: number) {
  const end = Date.now() + durationMs;
  let sent = 0;
  let errors = 0;
  await Promise.all(
    sockets.map(async (ws, i) => {
      while (Date.now() < end) {
        // unique across send commands: a client id used before is a retry, which writes nothing
        const ok = await call(ws, "message.send", { chatId: chatIds[i]!, clientId: `${process.pid}-${i}-${++sendSeq}`, text: `b ${nowUs()}` });
        if (ok) sent++;
        else errors++;
      }
    }),
  );
  return { sent, errors };
}

async function handle(cmd: { cmd: string; [k: string]: any }): Promise<unknown> {
  switch (cmd.cmd) {
    case "connect":
      return connect(cmd.url, cmd.tokens, cmd.hello);
    case "measure":
      measuring = true;
      deliveries = 0;
      gapUsMax = 0;
      lat = [];
      return {};
    case "count":
      return { deliveries, lastAt };
    case "report":
      measuring = false;
      return { deliveries, lat, lastAt, gapUsMax };
    case "send":
      return send(cmd.chatIds, cmd.durationMs);
    case "close":
      for (const ws of sockets.splice(0)) ws.close();
      return {};
    case "exit":
      process.exit(0);
  }
  throw new Error(`unknown command ${cmd.cmd}`);
}

let buf = "";
const stdin = Bun.stdin.stream().getReader();
for (;;) {
  const { value, done } = await stdin.read();
  if (done) break;
  buf += new TextDecoder().decode(value);
  let nl: number;
  while ((nl = buf.indexOf("\n")) >= 0) {
    const line = buf.slice(0, nl);
    buf = buf.slice(nl + 1);
    const out = await handle(JSON.parse(line));
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
}
