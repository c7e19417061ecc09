// End-to-end check of the built mediasoup worker: real RTP over UDP in and out.
// Needs the worker from `bun run setup` (scripts/build-worker.ts). A missing build
// FAILS these tests on purpose: CI builds the worker first, and a skipped SFU test
// would hide a broken calls feature.
import { afterAll, describe, expect, test } from "bun:test";
import { createSocket, type Socket } from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { types } from "mediasoup";
import { sharedPortWebRtcServer } from "../../scripts/worker-recipe/smoke.ts";
import { seededRng } from "../../tests/support/seed.ts";
import { resolveWorkerBinary, smokeCodecs } from "./worker-binary.ts";

const packetsSent = 50;
const deliveryWaitMs = 10_000; // generous bound for a loaded 2-core machine; not a speed assertion
const producerSsrc = 1111;
const producerPayloadType = 100;
const dataDir = mkdtempSync(join(tmpdir(), "hearth-sfu-"));

/** Resolves the worker (MEDIASOUP_WORKER_BIN) BEFORE loading mediasoup, once per file. */
const ready = (async () => {
  const binary = await resolveWorkerBinary({ dataDir });
  const mediasoup = await import("mediasoup");
  if (mediasoup.workerBin !== binary.path) {
    throw new Error(`mediasoup was loaded earlier with worker ${mediasoup.workerBin}; expected ${binary.path}`);
  }
  const worker = await mediasoup.createWorker({ logLevel: "warn" });
  return { worker, binary };
})();
ready.catch(() => {}); // reported by each test that awaits it

afterAll(async () => {
  await ready.then(({ worker }) => worker.close()).catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

function rtpPacket(seq: number, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80; // version 2, no padding, no extension, no CSRC
  header[1] = producerPayloadType;
  header.writeUInt16BE(seq, 2);
  header.writeUInt32BE(seq * 960, 4); // 20 ms of 48 kHz audio per packet
  header.writeUInt32BE(producerSsrc, 8);
  return Buffer.concat([header, payload]);
}

/** The payload of an RTP packet: after CSRCs and any header extension, before padding. */
function rtpPayload(packet: Buffer): Buffer {
  const csrcCount = packet[0]! & 0x0f;
  let offset = 12 + csrcCount * 4;
  if (packet[0]! & 0x10) offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  const padding = packet[0]! & 0x20 ? packet[packet.length - 1]! : 0;
  return packet.subarray(offset, packet.length - padding);
}

async function boundSocket(): Promise<Socket> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return socket;
}

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await Bun.sleep(20);
}

/** Producer on one PlainTransport (comedia: it learns our address), consumer on another. */
async function plainPair(router: types.Router, receiverPort: number) {
  const listenInfo = { protocol: "udp", ip: "127.0.0.1" } as const;
  const sendTransport = await router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: true });
  const producer = await sendTransport.produce({
    kind: "audio",
    rtpParameters: {
      codecs: [{ mimeType: "audio/opus", payloadType: producerPayloadType, clockRate: 48000, channels: 2 }],
      encodings: [{ ssrc: producerSsrc }],
    },
  });
  const recvTransport = await router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: false });
  await recvTransport.connect({ ip: "127.0.0.1", port: receiverPort });
  const consumer = await recvTransport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
  return { sendPort: sendTransport.tuple.localPort, producer, consumer };
}

describe("SFU smoke (built mediasoup worker)", () => {
  test("RTP sent into a PlainTransport producer comes out of a consumer intact", async () => {
    const { worker } = await ready;
    const router = await worker.createRouter({ mediaCodecs: smokeCodecs.map((c) => ({ ...c })) });
    const receiver = await boundSocket();
    const sender = await boundSocket();
    const received: Buffer[] = [];
    receiver.on("message", (msg) => {
      if ((msg[1]! & 0x7f) < 72 || (msg[1]! & 0x7f) > 79) received.push(msg); // ignore RTCP (PT 200-207)
    });
    try {
      const { sendPort, consumer } = await plainPair(router, receiver.address().port);
      const payloads = seededRng("sfu smoke RTP payloads");
      const sent = Array.from({ length: packetsSent }, (_, i) => Buffer.from(payloads.bytes(40 + i)));
      for (const [i, payload] of sent.entries()) {
        sender.send(rtpPacket(1000 + i, payload), sendPort, "127.0.0.1");
        await Bun.sleep(2); // pace like a real sender; a burst could overflow socket buffers
      }
      await waitFor(() => received.length >= packetsSent, deliveryWaitMs);
      expect(`${received.length}/${packetsSent}`).toBe(`${packetsSent}/${packetsSent}`);
      expect(received.map((p) => p[1]! & 0x7f)).toEqual(sent.map(() => consumer.rtpParameters.codecs[0]!.payloadType));
      expect(received.map((p) => rtpPayload(p).toString("hex"))).toEqual(sent.map((p) => p.toString("hex")));
    } finally {
      sender.close();
      receiver.close();
      router.close();
    }
  });

  test("a WebRtcServer serves UDP and TCP on one port", async () => {
    const { worker } = await ready;
    const { server, port } = await sharedPortWebRtcServer(worker);
    const router = await worker.createRouter({ mediaCodecs: smokeCodecs.map((c) => ({ ...c })) });
    try {
      const transport = await router.createWebRtcTransport({ webRtcServer: server, enableUdp: true, enableTcp: true });
      const candidates = transport.iceCandidates.map((c) => `${c.protocol}:${c.port}`).sort();
      expect(candidates).toEqual([`tcp:${port}`, `udp:${port}`]);
    } finally {
      router.close();
      server.close();
    }
  });
});
