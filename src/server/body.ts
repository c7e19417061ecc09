// The one way routes read a request body: streamed with a byte counter, so a body that
// declares no length (chunked) is cut at exactly `maxBytes`. Bun's own cut-off
// (maxRequestBodySize) sits at twice limits.httpBodyBytesMax so that declared lengths get
// a JSON error from the edge hook; it is a backstop, not the bound.
import { AppError } from "../errors.ts";

export const bodyTooLarge = (maxBytes: number) =>
  new AppError("payload_too_large", `The request body exceeds ${maxBytes} bytes`, { limit: maxBytes });

export async function readBodyBounded(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) throw bodyTooLarge(maxBytes);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {}); // stop reading; the rest is never buffered
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
