// A stand-in web site for link-preview tests: a real HTTP server on loopback (random
// port) with pages, redirects, slow and huge bodies, non-HTML, and a /secret path that
// counts hits — a fetch that should have been refused and reached it shows up there.
// Names: the resolver stub maps test names to addresses; `dialPort` sends the fetcher's
// port-80 connections to this server (a test cannot bind port 80).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PreviewsOptions } from "../src/previews/previews.ts";

export interface Site {
  port: number;
  hits: Map<string, number>;
  hitsOf(path: string): number;
  /** Resolver stub: public-looking test names → addresses. */
  names: Record<string, string[]>;
  options: Required<Pick<PreviewsOptions, "resolve" | "dialPort">>;
  /** Serves `body` at `path` from now on (pages and images a test makes). */
  put(path: string, body: string | Uint8Array, contentType: string): void;
  stop(): void;
}

export const OK_HTML = `<!doctype html><html><head><meta charset="utf-8">
<title>Fallback title</title>
<meta property="og:title" content="Hearth &amp; friends 🏡">
<meta property="og:description" content="A messenger for families &ndash; and offices.">
<meta property="og:site_name" content="Hearth">
<meta property="og:image" content="/image.png">
</head><body><p>${"body ".repeat(2000)}</p></body></html>`;

const html = (body: string, status = 200) => new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8" } });
const redirect = (to: string, status = 302) => new Response(null, { status, headers: { location: to } });

export function startSite(): Site {
  const hits = new Map<string, number>();
  const extra = new Map<string, { body: string | Uint8Array; contentType: string }>();
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 30, fetch: handle });
  // The same site over HTTPS with a self-signed certificate for site.test, which the fetcher must not trust.
  const tls = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 30, tls: selfSigned("site.test"), fetch: handle });
  function handle(req: Request): Response {
    {
      const url = new URL(req.url);
      hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
      const put = extra.get(url.pathname);
      if (put) return new Response(put.body as BodyInit, { headers: { "content-type": put.contentType } });
      const to = url.searchParams.get("to");
      const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
      if (chain) return Number(chain[1]) === 0 ? html(OK_HTML) : redirect(`/chain/${Number(chain[1]) - 1}`, 301);
      switch (url.pathname) {
        case "/ok":
        case "/ok2":
        case "/ok3":
          return html(OK_HTML);
        case "/title-only":
          return html("<html><head><title>Just a &lt;title&gt;</title></head><body></body></html>");
        case "/no-meta":
          return html(`<html><head><meta charset="utf-8"><link rel="stylesheet" href="/s.css"></head><body><h1>Big heading</h1></body></html>`);
        case "/redirect":
          return redirect(to ?? "/ok");
        case "/secret":
          return html("<head><title>internal secret</title></head>");
        case "/json":
          return new Response(JSON.stringify({ title: "json" }), { headers: { "content-type": "application/json" } });
        case "/image.png":
          return new Response(Bun.file(new URL("../web/public/icon-192.png", import.meta.url).pathname), { headers: { "content-type": "image/png" } });
        case "/huge":
          return streamed(3 * 1024 * 1024, false);
        case "/huge-declared":
          return new Response("<head>".padEnd(3 * 1024 * 1024, " "), { headers: { "content-type": "text/html", "content-length": String(3 * 1024 * 1024) } });
        case "/slow":
          return slow();
        default:
          return new Response("not found", { status: 404 });
      }
    }
  }
  const names: Record<string, string[]> = {
    "site.test": ["127.0.0.1"], // allowlisted in the tests: the one path that may reach loopback
    "www.site.test": ["127.0.0.1"], // NOT allowlisted: a public-looking name resolving to loopback
    "intranet.test": ["10.0.0.5"],
    "mixed.test": ["93.184.216.34", "127.0.0.1"],
    "v6.test": ["::1"],
    "mapped.test": ["::ffff:127.0.0.1"],
    "metadata.test": ["169.254.169.254"],
    localhost: ["127.0.0.1", "::1"],
  };
  return {
    port: server.port!,
    hits,
    hitsOf: (p) => hits.get(p) ?? 0,
    put: (path, body, contentType) => void extra.set(path, { body, contentType }),
    names,
    options: {
      resolve: async (host) => {
        const found = names[host.toLowerCase()];
        if (!found) throw new Error(`ENOTFOUND ${host}`);
        return found;
      },
      dialPort: (port) => (port === 443 ? tls.port! : server.port!),
    },
    stop: () => {
      void server.stop(true);
      void tls.stop(true);
    },
  };
}

/** text/html that never ends its head: `bytes` of filler, no Content-Length. */
function streamed(bytes: number, _ended: boolean): Response {
  let sent = 0;
  const chunk = new TextEncoder().encode(`<meta name="x" content="${"y".repeat(64 * 1024 - 30)}">\n`);
  const body = new ReadableStream({
    pull(c) {
      if (sent === 0) c.enqueue(new TextEncoder().encode("<html><head><title>huge</title>"));
      if (sent >= bytes) return c.close();
      c.enqueue(chunk);
      sent += chunk.length;
    },
  });
  return new Response(body, { headers: { "content-type": "text/html" } });
}

/** A head that trickles in and never ends: one byte every 500 ms. */
function slow(): Response {
  let first = true;
  const body = new ReadableStream({
    async pull(c) {
      if (first) {
        first = false;
        return c.enqueue(new TextEncoder().encode("<html><head><title>slow</title>"));
      }
      await Bun.sleep(500);
      c.enqueue(new TextEncoder().encode(" "));
    },
  });
  return new Response(body, { headers: { "content-type": "text/html" } });
}

function selfSigned(name: string): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "prev-site-tls-"));
  try {
    const args = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", `/CN=${name}`];
    const r = Bun.spawnSync(["openssl", ...args, "-addext", `subjectAltName=DNS:${name}`, "-keyout", join(dir, "k.pem"), "-out", join(dir, "c.pem")]);
    if (r.exitCode !== 0) throw new Error(`openssl: ${r.stderr.toString()}`);
    return { cert: readFileSync(join(dir, "c.pem"), "utf8"), key: readFileSync(join(dir, "k.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
