// Media through a worker, end to end, without a browser: RTP from a UDP socket into a
// PlainTransport producer, out of a PlainTransport consumer to another UDP socket, all
// on loopback. `hearth doctor` runs it so "calls work here" is a fact, not a guess — on
// a Raspberry Pi as on x86-64 — and the arm64 smoke test runs it under emulation.
import { createSocket, type Socket } from "node:dgram";
import { limits } from "../limits.ts";
import type { types } from "./mediasoup.ts";

const payloadType = 100;
const ssrc = 4242;

function rtpPacket(seq: number, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80; // version 2, no padding, no extension, no CSRC
  header[1] = payloadType;
  header.writeUInt16BE(seq, 2);
  header.writeUInt32BE(seq * 960, 4); // 20 ms of 48 kHz audio per packet
  header.writeUInt32BE(ssrc, 8);
  return Buffer.concat([header, payload]);
}

async function boundSocket(): Promise<Socket> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return socket;
}

export interface ForwardResult {
  sent: number;
  received: number;
  ms: number;
}

/** Sends `limits.callSelfTestPackets` RTP packets through `router`; counts what comes out. */
export async function forwardRtp(router: types.Router): Promise<ForwardResult> {
  const started = performance.now();
  const [sender, receiver] = await Promise.all([boundSocket(), boundSocket()]);
  let received = 0;
  // RTCP (payload types 200-207 show as 72-79 after the marker bit) is not media.
  receiver.on("message", (msg) => void ((msg[1]! & 0x7f) < 72 || (msg[1]! & 0x7f) > 79 ? received++ : 0));
  const listenInfo = { protocol: "udp", ip: "127.0.0.1" } as const;
  try {
    const inbound = await router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: true });
    const producer = await inbound.produce({
      kind: "audio",
      rtpParameters: { codecs: [{ mimeType: "audio/opus", payloadType, clockRate: 48000, channels: 2 }], encodings: [{ ssrc }] },
    });
    const outbound = await router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: false });
    await outbound.connect({ ip: "127.0.0.1", port: receiver.address().port });
    await outbound.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
    const sent = limits.callSelfTestPackets;
    for (let seq = 0; seq < sent; seq++) {
      sender.send(rtpPacket(seq, new Uint8Array(40).fill(seq)), inbound.tuple.localPort, "127.0.0.1");
      await Bun.sleep(2); // paced like a real sender; a burst could overflow socket buffers
    }
    const deadline = Date.now() + limits.callSelfTestWaitMs;
    while (received < sent && Date.now() < deadline) await Bun.sleep(20);
    return { sent, received, ms: Math.round(performance.now() - started) };
  } finally {
    sender.close();
    receiver.close();
  }
}
