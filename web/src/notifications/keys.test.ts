import { expect, test } from "vitest";
import { fromBase64Url, sameKey, toBase64Url } from "./keys.ts";

// a P-256 public key as web-push prints it (65 bytes, uncompressed point)
const key = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM";

test("base64url round-trips and a subscription matches only the key it was made with", () => {
  const bytes = fromBase64Url(key);
  expect(bytes.length).toBe(65);
  expect(toBase64Url(bytes)).toBe(key);
  expect(sameKey(bytes.buffer, key)).toBe(true);
  const other = bytes.slice();
  other[10] = other[10]! ^ 1;
  expect(sameKey(other.buffer, key)).toBe(false);
  expect(sameKey(null, key)).toBe(false);
});
