// Content-Disposition with a file name that is safe in any browser (RFC 6266 + RFC 5987):
// an ASCII fallback in `filename="…"` (quotes, backslashes and non-ASCII replaced) and the
// real name in `filename*=UTF-8''…` (percent-encoded, including the characters RFC 5987's
// attr-char leaves out).
export function contentDisposition(type: "inline" | "attachment", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\%;]/g, "_") || "file";
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
