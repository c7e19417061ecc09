// A mediasoup worker killed (SIGKILL) in the middle of a call: the server stays up, the
// participants are told to rejoin, the worker is respawned on the same media port, and
// after call.join media flows again through the new worker.
// Needs the worker from `bun run setup`; a missing worker FAILS this test.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Calls } from "../src/calls/calls.ts";
import { boundSocket, sendRtp, waitFor } from "./support/rtp.ts";
import { type CallPerson, startCallsServer } from "./support/calls-server.ts";
import { plainSink, plainSource } from "./support/calls.ts";
import { until } from "./support/harness.ts";

setDefaultTimeout(60_000);

let s: Awaited<ReturnType<typeof startCallsServer>>;
let ann: CallPerson, ben: CallPerson;

beforeAll(async () => {
  s = await startCallsServer();
  [ann, ben] = await Promise.all([s.person("ann"), s.person("ben")]);
});
afterAll(() => s.stop());

const packets = 200;

/** RTP from ann's producer to ben's consumer through the call's current media; returns packets received. */
async function mediaFlows(calls: Calls, callId: string): Promise<number> {
  const media = calls.byId.get(callId)!.media!;
  const source = await plainSource(media, media.peers.get(ann.id)!, "audio");
  const sink = await plainSink(media, media.peers.get(ben.id)!, source.producerId);
  const sender = await boundSocket();
  try {
    await sendRtp(sender, source.port, { packets, ssrc: source.ssrc, payloadType: source.payloadType, payload: () => Buffer.alloc(160, 1), gapMs: 2 });
    await waitFor(() => sink.received.count >= packets, 10_000);
    return sink.received.count;
  } finally {
    sender.close();
    sink.close();
  }
}

test("killing the worker mid-call: server up, rejoin_required, rejoin on a respawned worker, media flows again", async () => {
  const chatId = (await ann.request("chat.create", { kind: "direct", userId: ben.id })).entry.chat.id;
  const { callId } = await ann.request("call.join", { chatId });
  await ben.request("call.join", { chatId });
  expect(await mediaFlows(s.calls, callId)).toBeGreaterThanOrEqual(Math.ceil(packets * 0.95));

  const pool = await s.calls.workerPool();
  const victim = pool.slot(0).worker.pid;
  const port = pool.slot(0).server;
  const annFrom = ann.events.length;
  const benFrom = ben.events.length;
  process.kill(victim, "SIGKILL");

  await ann.event("call.rejoin_required", (d) => d.callId === callId && d.chatId === chatId, annFrom);
  await ben.event("call.rejoin_required", (d) => d.callId === callId, benFrom);
  // The server still serves requests, and the lost media is gone from the call.
  expect((await ann.request("chat.get", { chatId })).chat.id).toBe(chatId);
  expect(await ann.code("call.transport.create", { callId, direction: "send" })).toBe("not_found");

  await until(() => pool.aliveCount === 1, 20_000, "worker respawned");
  expect(pool.slot(0).worker.pid).not.toBe(victim);
  expect(pool.slot(0).server).not.toBe(port);

  const again = await ann.request("call.join", { chatId });
  expect(again.callId).toBe(callId);
  const benAgain = await ben.request("call.join", { chatId });
  expect(benAgain.participants.map((p: any) => p.userId).sort()).toEqual([ann.id, ben.id].sort());
  const send = await ann.request("call.transport.create", { callId, direction: "send" });
  expect(send.iceCandidates.length).toBe(2);
  expect(await mediaFlows(s.calls, callId)).toBeGreaterThanOrEqual(Math.ceil(packets * 0.95));

  expect(s.t.deps.metrics.render()).toContain("hearth_calls_worker_deaths_total 1");
  expect(s.t.deps.metrics.render()).toMatch(/hearth_calls_workers_alive 1/);
  await ann.request("call.leave", { callId }); // a 1:1 call ends for both when one hangs up
  await ben.event("call.ended", (d) => d.callId === callId && d.reason === "ended");
});
