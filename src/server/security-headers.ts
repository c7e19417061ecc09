// Security headers on every HTTP answer. Everything but the web client and the trust page
// is data (JSON, metrics, redirects), so its CSP allows nothing at all; the web client's
// CSP allows only its own origin (no inline script or style: the build emits none) plus
// its WebSocket (and blob: images and media: the page's own files before upload); the trust
// page has its own (tls/trust-page.ts). Camera, microphone and
// screen capture (calls) are allowed for this origin only; frames are refused everywhere.

const PERMISSIONS = ["camera=(self)", "microphone=(self)", "display-capture=(self)", "geolocation=()", "payment=()", "usb=()", "serial=()", "hid=()", "bluetooth=()"];

export const DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Set on every response by the edge hook; a response that brings its own CSP keeps it. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": DATA_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY", // frame-ancestors for browsers that predate it
  "permissions-policy": PERMISSIONS.join(", "),
};

/** The web client's CSP for a page served at `url` (its WebSocket is /ws on the same host). */
// What a browser can really send as Host. WHATWG URLs accept `;`, `,` and quotes in a host,
// which would let a crafted Host rewrite the policy it is echoed into.
const PLAIN_HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

export function appCsp(url: URL): string {
  const ws = PLAIN_HOST.test(url.host) ? ` ${url.protocol === "https:" ? "wss:" : "ws:"}//${url.host}` : "";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // blob: only for files the page itself holds (picked attachments before upload, posters drawn from them)
    "img-src 'self' blob:",
    "media-src 'self' blob:",
    "font-src 'self'",
    `connect-src 'self'${ws}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
