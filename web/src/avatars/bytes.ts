// base64 → bytes without throwing (a malformed placeholder just shows none).
export function fromBase64Bytes(b64: string): Uint8Array | null {
  try {
    const s = atob(b64);
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
