// A fresh P-256 private key as base64url of its 32-byte scalar (the VAPID secret).
import { generateKeyPairSync } from "node:crypto";

export function newP256PrivateKey(): string {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const d = privateKey.export({ format: "jwk" }).d;
  if (!d || d.length !== 43) throw new Error("P-256 key generation returned an unexpected key");
  return d;
}
