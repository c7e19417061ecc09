// RIFF WAVE: the fmt chunk's byte rate and the data chunk's size. A streaming writer's
// data size of 0 or 0xFFFFFFFF means "to the end of the file".
import { ascii, need, type Reader, view } from "./reader.ts";
import { type ProbeInfo, ProbeError } from "./types.ts";

export async function probeWav(r: Reader): Promise<ProbeInfo> {
  let at = 12;
  let byteRate = 0;
  while (at + 8 <= r.size) {
    r.step();
    const head = await r.read(at, 8);
    need(head, 8, "a RIFF chunk header");
    const id = ascii(head, 0, 4);
    const size = view(head).getUint32(4, true);
    if (id === "fmt ") {
      const fmt = await r.read(at + 8, 16);
      need(fmt, 16, "the fmt chunk");
      byteRate = view(fmt).getUint32(8, true);
    } else if (id === "data") {
      if (byteRate <= 0) throw new ProbeError("corrupt", "WAVE data before its fmt chunk");
      const bytes = size === 0 || size === 0xffffffff || at + 8 + size > r.size ? r.size - at - 8 : size;
      return { format: "wav", durationMs: Math.round((bytes * 1000) / byteRate), video: false, audio: true };
    }
    at += 8 + size + (size % 2); // chunks are padded to an even size
  }
  throw new ProbeError("corrupt", "no WAVE data chunk");
}
