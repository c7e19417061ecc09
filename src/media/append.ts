// One PATCH of a resumable upload: the body is streamed into the part file at the
// upload's offset, never held whole. Whatever arrives is fsync'd before the offset is
// stored — also when the connection drops mid-body (those bytes count; HEAD tells the
// client where to go on). Bytes past the last stored offset (a crash after writing, before
// storing) are cut off first, so the file never holds more than the stored offset says.
import { open } from "node:fs/promises";
import { AppError } from "../errors.ts";

export interface AppendResult {
  written: number;
  aborted: boolean; // the body ended early (connection dropped)
}

/** Writes `body` at `offset`; refuses (payload_too_large) the first byte past `maxBytes`. */
export async function appendChunk(path: string, offset: number, body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<AppendResult> {
  const fh = await open(path, "a+").then(async (f) => {
    await f.close();
    return open(path, "r+");
  });
  let written = 0;
  let aborted = false;
  let tooLarge = false;
  try {
    await fh.truncate(offset);
    if (body) {
      const reader = body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (written + value.byteLength > maxBytes) {
            tooLarge = true;
            await reader.cancel().catch(() => {});
            break;
          }
          let at = 0;
          while (at < value.byteLength) {
            const { bytesWritten } = await fh.write(value, at, value.byteLength - at, offset + written + at);
            at += bytesWritten;
          }
          written += value.byteLength;
        }
      } catch {
        aborted = true; // the client went away: keep what arrived
      }
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
  if (tooLarge) {
    // nothing of an oversized chunk counts: the offset stays where it was
    throw new AppError("payload_too_large", `A chunk may carry at most ${maxBytes} bytes and never more than the upload's size`, { limit: maxBytes });
  }
  return { written, aborted };
}
