// The trust page (local-ca mode): served over plain HTTP to LAN devices and at /trust over
// HTTPS. Explains in the reader's language how to trust Hearth's CA on each system,
// offers it for download (/ca.crt DER, /ca.pem PEM) with its SHA-256 fingerprint, and
// forwards to the secure address by itself once a probe over HTTPS succeeds (a fetch to
// an untrusted certificate fails, so success means the device trusts the CA).
import { limits } from "../limits.ts";
import { replacementOf } from "./ca-history.ts";
import { caIssuedAt, pemToDer, sha256Fingerprint } from "./x509.ts";
import { pickLang, texts, type TrustText } from "./trust-text.ts";

export const TRUST_PATHS = { page: "/trust", der: "/ca.crt", pem: "/ca.pem" } as const;
/** A tiny same-origin resource the page probes over HTTPS (any response proves the TLS handshake). */
export const PROBE_PATH = "/healthz";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const list = (items: string[]) => `<ol>${items.map((i) => `<li>${esc(i)}</li>`).join("")}</ol>`;

function section(title: string, items: string[], open = false): string {
  return `<details${open ? " open" : ""}><summary>${esc(title)}</summary>${list(items)}</details>`;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");

/** When the CA was made, and, for a while after it replaced an earlier one, the request to re-trust. */
function caDates(t: TrustText, caPem: string, now: number): string {
  const issued = `<p id="ca-issued">${esc(fill(t.issued, { date: day(caIssuedAt(caPem)) }))}</p>`;
  const r = replacementOf(caPem);
  if (!r || now - r.at > limits.tlsCaReplacedNoticeDays * 86_400_000) return issued;
  const text = esc(fill(t.replaced, { date: day(r.at), fp: "\u0000" })).replace("\u0000", `<code>${esc(r.previousFingerprint)}</code>`); // code breaks anywhere: a fingerprint is one long word
  return `<p id="ca-replaced" role="alert">${text}</p>${issued}`;
}

export function renderTrustPage(t: TrustText, lang: string, caPem: string, secureUrl: string, nonce: string, now = Date.now()): string {
  const fp = sha256Fingerprint(caPem);
  const probe = new URL(PROBE_PATH, secureUrl).href;
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(t.title)}</title>
<style nonce="${nonce}">body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#222}
code,.fp{font-family:ui-monospace,monospace;word-break:break-all}.fp{background:#f4f4f4;padding:.5rem;display:block}
details{margin:.5rem 0}summary{cursor:pointer;font-weight:600}#status{padding:.5rem;background:#fff6d6}#ca-replaced{padding:.5rem;background:#ffe1dc;font-weight:600}</style></head>
<body><h1>${esc(t.title)}</h1><p>${esc(t.intro)}</p>
${caDates(t, caPem, now)}
<p>${esc(t.secureAddress)}: <a id="secure" href="${esc(secureUrl)}">${esc(secureUrl)}</a></p>
<p id="status" data-trusted="${esc(t.trusted)}" data-not-trusted="${esc(t.notTrusted)}">${esc(t.checking)}</p>
<h2>${esc(t.download)}</h2>
<ul><li><a id="ca-der" href="${TRUST_PATHS.der}" download="hearth-ca.crt">${esc(t.downloadDer)}</a></li>
<li><a id="ca-pem" href="${TRUST_PATHS.pem}" download="hearth-ca.pem">${esc(t.downloadPem)}</a></li></ul>
<p>${esc(t.fingerprint)}:<span class="fp" id="fingerprint">${esc(fp)}</span>${esc(t.compare)}</p>
${section("Windows", t.windows)}${section("macOS", t.macos)}${section("Linux", t.linux)}${section("Android", t.android)}${section("iPhone / iPad (iOS)", t.ios)}
<p>${esc(t.firefox)}</p><h2>${esc(t.after)}</h2><p>${esc(t.afterText)} <a href="${esc(secureUrl)}">${esc(secureUrl)}</a></p>
<script nonce="${nonce}">(function(){var s=document.getElementById("status");var go=${JSON.stringify(secureUrl)}+location.hash;
document.getElementById("secure").href=go; // keep a #fragment (e.g. the owner claim token) across the hop
if(location.protocol==="https:"){s.hidden=true;return;}
fetch(${JSON.stringify(probe)},{mode:"no-cors",cache:"no-store"}).then(function(){s.textContent=s.dataset.trusted;location.replace(go);},
function(){s.textContent=s.dataset.notTrusted;});})();</script>
</body></html>`;
}

/** GET /trust, /ca.crt, /ca.pem; null for any other path. */
export function trustResponse(path: string, request: Request, caPem: string, secureUrl: string): Response | null {
  if (path === TRUST_PATHS.der) {
    return new Response(pemToDer(caPem), {
      headers: { "content-type": "application/x-x509-ca-cert", "content-disposition": 'attachment; filename="hearth-ca.crt"', "cache-control": "no-cache" },
    });
  }
  if (path === TRUST_PATHS.pem) {
    return new Response(caPem, {
      headers: { "content-type": "application/x-pem-file", "content-disposition": 'attachment; filename="hearth-ca.pem"', "cache-control": "no-cache" },
    });
  }
  if (path !== TRUST_PATHS.page) return null;
  const lang = pickLang(request.headers.get("accept-language"));
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  return new Response(renderTrustPage(texts[lang], lang, caPem, secureUrl, nonce), {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-language": lang,
      "cache-control": "no-store",
      vary: "accept-language",
      "content-security-policy": trustPageCsp(nonce, secureUrl),
    },
  });
}

/** Its one inline script and style run by nonce; it may connect only to itself (the CA downloads) and probe the secure address. */
function trustPageCsp(nonce: string, secureUrl: string): string {
  // The origin comes from the request's Host; a URL host may hold `;` or `,`, which must not reach the policy.
  const origin = new URL(secureUrl).origin;
  const probe = /^https:\/\/[A-Za-z0-9.\-[\]:]+$/.test(origin) ? ` ${origin}` : "";
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'${probe}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}
