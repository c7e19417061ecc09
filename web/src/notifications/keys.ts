// VAPID keys travel as unpadded base64url; the browser gives and takes bytes.
export function fromBase64Url(s: string): Uint8Array<ArrayBuffer> {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toBase64Url(bytes: ArrayBuffer | Uint8Array): string {
  const u = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let bin = "";
  for (const b of u) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Whether a subscription was made for this server key (a rotated key needs a new one). */
export function sameKey(subscribedWith: ArrayBuffer | null | undefined, vapidPublicKey: string): boolean {
  return !!subscribedWith && toBase64Url(subscribedWith) === toBase64Url(fromBase64Url(vapidPublicKey));
}
