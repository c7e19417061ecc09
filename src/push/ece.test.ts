// RFC 8291 §5 (Appendix A): the published example, byte for byte, with its fixed
// sender key and salt.
import { expect, test } from "bun:test";
import { fromB64u } from "./b64.ts";
import { encrypt, senderKeysFrom } from "./ece.ts";

const b = (s: string) => fromB64u(s)!;
const V = {
  plaintext: "When I grow up, I want to be a watermelon",
  asPrivate: "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw",
  asPublic: "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8",
  uaPublic: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  auth: "BTBZMqHH6r4Tts7J_aSIgg",
  salt: "DGv6ra1nlYgDCS1FRnbzlw",
  body:
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
};

test("RFC 8291 section 5 known-answer vector", async () => {
  const sender = await senderKeysFrom(b(V.asPrivate), b(V.asPublic));
  const out = await encrypt(new TextEncoder().encode(V.plaintext), b(V.uaPublic), b(V.auth), { sender, salt: b(V.salt) });
  expect(Buffer.from(out).toString("base64url")).toBe(V.body);
});

test("fresh keys and salt: a different body each time", async () => {
  const a = await encrypt(new TextEncoder().encode("x"), b(V.uaPublic), b(V.auth));
  const c = await encrypt(new TextEncoder().encode("x"), b(V.uaPublic), b(V.auth));
  expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  expect(a.length).toBe(86 + 1 + 1 + 16);
});

test("a user-agent key that is not a curve point is refused", async () => {
  const bad = new Uint8Array(65).fill(7);
  bad[0] = 4;
  await expect(encrypt(new Uint8Array([1]), bad, b(V.auth))).rejects.toThrow();
});
