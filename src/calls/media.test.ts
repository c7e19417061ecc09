// The SFU service layer with real mediasoup workers: generated RTP into a PlainTransport
// producer comes out of consumers, on the same worker and across workers (pipeToRouter),
// and placement spills to another worker when the call's worker is busy.
// Needs the worker from `bun run setup`; a missing worker FAILS (see sfu-smoke.test.ts).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { limits } from "../limits.ts";
import { CallMedia } from "./media.ts";
import type { WorkerPool } from "./pool.ts";
import { boundSocket, sendRtp, vp8Payload, waitFor } from "../../tests/support/rtp.ts";
import { mediaOptions, plainSink, plainSource, startTestPool } from "../../tests/support/calls.ts";

setDefaultTimeout(30_000);

const dataDir = mkdtempSync(join(tmpdir(), "hearth-media-"));
const sent = 200;
const deliveryWaitMs = 10_000; // a bound for a loaded machine, not a speed assertion
let pool: WorkerPool;

beforeAll(async () => {
  pool = await startTestPool(2, dataDir);
});
afterAll(() => {
  pool?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function flow(media: CallMedia, consumerSlot: number | undefined, kind: "audio" | "video") {
  const a = await media.addPeer("alice", 0);
  const b = await media.addPeer("bob", consumerSlot);
  const source = await plainSource(media, a, kind);
  const sink = await plainSink(media, b, source.producerId);
  const sender = await boundSocket();
  try {
    await sendRtp(sender, source.port, {
      packets: sent,
      ssrc: source.ssrc,
      payloadType: source.payloadType,
      payload: (i) => (kind === "video" ? vp8Payload(1000, i % 50 === 0) : Buffer.alloc(160, i & 0xff)),
      gapMs: 2,
    });
    await waitFor(() => sink.received.count >= sent, deliveryWaitMs);
    return { a, b, received: sink.received.count };
  } finally {
    sender.close();
    sink.close();
  }
}

describe("media through the SFU service layer", () => {
  test("audio from a producer reaches a consumer on the same worker", async () => {
    const media = new CallMedia(pool, pool.slot(0), mediaOptions);
    try {
      const { received } = await flow(media, 0, "audio");
      expect(received).toBeGreaterThanOrEqual(Math.ceil(sent * 0.95));
    } finally {
      media.close();
    }
  });

  test("video to a participant on another worker goes through pipeToRouter", async () => {
    const media = new CallMedia(pool, pool.slot(0), mediaOptions);
    try {
      const before = pool.slot(1).load;
      const { b, received } = await flow(media, 1, "video");
      expect(b.slot.index).toBe(1);
      expect(media.slotIndexes.sort()).toEqual([0, 1]);
      expect(received).toBeGreaterThanOrEqual(Math.ceil(sent * 0.95));
      expect(pool.slot(1).load).toBeGreaterThanOrEqual(before + 2); // the piped producer and the consumer
    } finally {
      media.close();
    }
  });

  test("a busy home worker sends new participants to the least-loaded one; closing frees the load", async () => {
    const media = new CallMedia(pool, pool.slot(0), mediaOptions);
    const home = pool.slot(0);
    try {
      const first = await media.addPeer("first");
      expect(first.slot.index).toBe(0);
      home.load += limits.callWorkerLoadSpill; // as if hundreds of consumers were on it
      const second = await media.addPeer("second");
      expect(second.slot.index).toBe(1);
    } finally {
      home.load -= limits.callWorkerLoadSpill;
      media.close();
    }
    await waitFor(() => pool.slots.every((s) => s.load === 0), 5000);
    expect(pool.slots.map((s) => s.load)).toEqual([0, 0]);
  });

  test("limits: one producer per source, a bounded number of transports", async () => {
    const media = new CallMedia(pool, pool.slot(0), mediaOptions);
    try {
      const peer = await media.addPeer("carol");
      await plainSource(media, peer, "audio");
      await expect(plainSource(media, peer, "audio")).rejects.toMatchObject({ code: "conflict" });
      for (let i = peer.transports.size; i < limits.callTransportsPerParticipantMax; i++) await media.createPlainTransport(peer, "recv", false);
      await expect(media.createPlainTransport(peer, "recv", false)).rejects.toMatchObject({ code: "limit_exceeded" });
    } finally {
      media.close();
    }
  });
});
