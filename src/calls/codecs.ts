// What every call router accepts. Opus for audio; VP8 first for video (what browsers
// simulcast best), then H264 (Safari, hardware encoders) and VP9.
import type { types } from "./mediasoup.ts";

export const routerCodecs: types.RtpCodecCapability[] = [
  { kind: "audio", mimeType: "audio/opus", clockRate: 48000, channels: 2 },
  { kind: "video", mimeType: "video/VP8", clockRate: 90000, parameters: { "x-google-start-bitrate": 1000 } },
  {
    kind: "video",
    mimeType: "video/H264",
    clockRate: 90000,
    parameters: { "packetization-mode": 1, "profile-level-id": "42e01f", "level-asymmetry-allowed": 1 },
  },
  { kind: "video", mimeType: "video/VP9", clockRate: 90000, parameters: { "profile-id": 2 } },
];
