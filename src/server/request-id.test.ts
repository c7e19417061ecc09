import { expect, test } from "bun:test";
import { acceptRequestId } from "./request-id.ts";

test("a plain incoming id is kept", () => {
  for (const id of ["abc", "4bf92f3577b34da6a3ce929d0e0e4736", "req-1.2_3:4", "x".repeat(128)]) expect(acceptRequestId(id)).toBe(id);
});

test("a missing or unsafe id is replaced by a fresh one", () => {
  const unsafe = [null, "", "has space", 'quote"', "new\nline", "<script>", "x".repeat(129), "ünï"];
  const seen = new Set<string>();
  for (const id of unsafe) {
    const got = acceptRequestId(id);
    expect(got).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    seen.add(got);
  }
  expect(seen.size).toBe(unsafe.length);
});
