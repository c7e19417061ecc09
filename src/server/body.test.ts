import { describe, expect, test } from "bun:test";
import { AppError } from "../errors.ts";
import { readBodyBounded } from "./body.ts";

/** A POST whose body is a stream of `chunks` byte counts: no Content-Length, like a chunked upload. */
function streamed(chunks: number[]): Request {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const n = chunks[pulled++];
      if (n === undefined) return controller.close();
      controller.enqueue(new Uint8Array(n).fill(120));
    },
  });
  return new Request("http://x/", { method: "POST", body });
}

async function codeOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    return e instanceof AppError ? `${e.code}:${JSON.stringify(e.data)}` : String(e);
  }
}

describe("readBodyBounded", () => {
  test("a body of exactly the bound is read whole", async () => {
    expect((await readBodyBounded(streamed([60, 40]), 100)).byteLength).toBe(100);
  });

  test("one byte over the bound, without a declared length, is payload_too_large", async () => {
    expect(await codeOf(readBodyBounded(streamed([60, 41]), 100))).toBe('payload_too_large:{"limit":100}');
  });

  test("a declared length over the bound is refused before reading", async () => {
    const req = new Request("http://x/", { method: "POST", body: "x".repeat(101) });
    expect(await codeOf(readBodyBounded(req, 100))).toBe('payload_too_large:{"limit":100}');
  });

  test("no body is an empty body", async () => {
    expect((await readBodyBounded(new Request("http://x/", { method: "POST" }), 100)).byteLength).toBe(0);
  });
});
