// Native FLAC: the STREAMINFO block right after 'fLaC' has the sample rate (20 bits) and
// the total samples (36 bits; 0 = unknown).
import { need, type Reader, view } from "./reader.ts";
import { type ProbeInfo, ProbeError } from "./types.ts";

export async function probeFlac(r: Reader): Promise<ProbeInfo> {
  const head = await r.read(0, 42);
  need(head, 42, "STREAMINFO");
  if ((head[4]! & 0x7f) !== 0) throw new ProbeError("corrupt", "FLAC does not start with STREAMINFO");
  const dv = view(head);
  const packed = dv.getBigUint64(18); // rate:20 channels:3 bits:5 samples:36
  const rate = Number(packed >> 44n);
  const samples = Number(packed & 0xfffffffffn);
  const durationMs = rate > 0 && samples > 0 ? Math.round((samples * 1000) / rate) : undefined;
  return { format: "flac", durationMs, video: false, audio: true };
}
