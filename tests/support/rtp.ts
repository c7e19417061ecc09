// Generated RTP for tests and the SFU benchmark: packets sent from a node:dgram socket
// into a PlainTransport producer, and counted on sockets that PlainTransport consumers
// send to. No browser involved; the SFU cannot tell the difference.
import { createSocket, type Socket } from "node:dgram";
import type { types } from "../../src/calls/mediasoup.ts";

export const OPUS_PT = 100;
export const VP8_PT = 101;

export const AUDIO_LEVEL_EXT_ID = 10;

/** Opus with the audio-level header extension (what active-speaker detection reads). */
export const opusParameters = (ssrc: number): types.RtpParameters => ({
  codecs: [{ mimeType: "audio/opus", payloadType: OPUS_PT, clockRate: 48000, channels: 2 }],
  headerExtensions: [{ uri: "urn:ietf:params:rtp-hdrext:ssrc-audio-level", id: AUDIO_LEVEL_EXT_ID }],
  encodings: [{ ssrc }],
});

export const vp8Parameters = (ssrc: number): types.RtpParameters => ({
  codecs: [{ mimeType: "video/VP8", payloadType: VP8_PT, clockRate: 90000 }],
  encodings: [{ ssrc }],
});

/** audioLevel: 0 (loudest) … 127 (silence) in -dBov, sent as a one-byte header extension (RFC 6464). */
export function rtpPacket(p: { seq: number; timestamp: number; ssrc: number; payloadType: number; payload: Uint8Array; audioLevel?: number }): Buffer {
  const header = Buffer.alloc(12);
  header[0] = p.audioLevel === undefined ? 0x80 : 0x90; // version 2, no padding, no CSRC; X when extended
  header[1] = p.payloadType;
  header.writeUInt16BE(p.seq & 0xffff, 2);
  header.writeUInt32BE(p.timestamp >>> 0, 4);
  header.writeUInt32BE(p.ssrc, 8);
  if (p.audioLevel === undefined) return Buffer.concat([header, p.payload]);
  // 0xBEDE one-byte extensions, one 32-bit word: [id|len-1][V|level] + 2 bytes padding
  const ext = Buffer.from([0xbe, 0xde, 0x00, 0x01, (AUDIO_LEVEL_EXT_ID << 4) | 0, 0x80 | (p.audioLevel & 0x7f), 0, 0]);
  return Buffer.concat([header, ext, p.payload]);
}

/**
 * A VP8 payload: descriptor with X=1 (mediasoup ignores descriptors without the
 * extension byte), S=1, partition 0, no optional fields; then a payload header whose
 * P bit marks key (0) or delta (1) frames.
 */
export function vp8Payload(bytes: number, keyFrame: boolean): Buffer {
  const b = Buffer.alloc(Math.max(bytes, 4), 0xab);
  b[0] = 0x90;
  b[1] = 0x00;
  b[2] = keyFrame ? 0x00 : 0x01;
  return b;
}

export async function boundSocket(): Promise<Socket> {
  const socket = createSocket({ type: "udp4", recvBufferSize: 4 * 1024 * 1024 });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return socket;
}

const isRtcp = (msg: Buffer) => msg.length >= 2 && msg[1]! >= 192 && msg[1]! <= 223;

/** Counts RTP packets of one SSRC arriving on a socket (not RTCP, not the SFU's bandwidth probes). */
export function countRtp(socket: Socket, ssrc: number): { readonly count: number; reset(): void } {
  let count = 0;
  socket.on("message", (msg: Buffer) => {
    if (!isRtcp(msg) && msg.length >= 12 && msg.readUInt32BE(8) === ssrc) count++;
  });
  return {
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
  };
}

/** Sends `packets` RTP packets to a PlainTransport, `burst` at a time every `gapMs`. */
export async function sendRtp(
  socket: Socket,
  port: number,
  o: { packets: number; ssrc: number; payloadType: number; payload: (i: number) => Uint8Array; gapMs: number; burst?: number; firstSeq?: number; audioLevel?: number; stop?: () => boolean },
): Promise<void> {
  const burst = o.burst ?? 1;
  const first = o.firstSeq ?? 1000;
  for (let i = 0; i < o.packets && !o.stop?.(); i++) {
    const seq = first + i;
    socket.send(rtpPacket({ seq, timestamp: seq * 3000, ssrc: o.ssrc, payloadType: o.payloadType, payload: o.payload(i), audioLevel: o.audioLevel }), port, "127.0.0.1");
    if ((i + 1) % burst === 0) await Bun.sleep(o.gapMs);
  }
}

export async function waitFor(cond: () => boolean, maxMs: number): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  while (!cond() && Date.now() < deadline) await Bun.sleep(20);
  return cond();
}
