// The SSRF-safe fetcher. For the URL and for every redirect target (at most
// limits.previewRedirectsMax): check scheme, port and credentials (./target.ts); resolve
// the name OURSELVES; refuse unless every address passes ./address.ts; then connect to
// the checked address — node:http's `lookup` option pins the socket to it, so no second
// resolution can swap in another (DNS rebinding) while Host and TLS SNI/certificate
// checks keep the name. One deadline covers resolution, every hop and the body. Only the
// accepted content type is read, at most `bytesMax` bytes (beyond: aborted); for HTML,
// reading stops at </head> (or <body>). No compression is asked for (no decompression bombs).
import http from "node:http";
import https from "node:https";
import { lookup as dnsLookup } from "node:dns/promises";
import { limits } from "../limits.ts";
import { type AllowList, parseAddress, refuseAddresses } from "./address.ts";
import { bareHost, checkTarget, portOf } from "./target.ts";

/** A name's addresses (every A and AAAA record). Injected: tests map names to loopback. */
export type Resolve = (host: string) => Promise<string[]>;

export const systemResolve: Resolve = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface FetcherDeps {
  resolve: Resolve;
  allow: AllowList;
  /**
   * Tests only: the port a checked connection to 80/443 really dials, since loopback test
   * servers cannot bind 80. The URL's port rule and the Host header are unchanged.
   */
  dialPort?: (port: number) => number;
}

export type FetchKind = "html" | "image";

export type Fetched =
  | { ok: true; url: URL; contentType: string; body: Uint8Array; complete: boolean }
  | { ok: false; reason: string };

export interface FetchOptions {
  kind: FetchKind;
  bytesMax: number;
  deadlineMs: number; // from now
}

// Certificate failures (untrusted, self-signed, expired, wrong name) as OpenSSL/Node name them.
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME/;
const USER_AGENT = "Hearth-LinkPreview/1 (self-hosted messenger; fetches the page head once)";
const ACCEPT: Record<FetchKind, string> = { html: "text/html", image: "image/webp,image/png,image/jpeg,image/gif,image/avif" };

export async function fetchChecked(deps: FetcherDeps, start: string | URL, opts: FetchOptions): Promise<Fetched> {
  const deadline = Date.now() + opts.deadlineMs;
  let next: string | URL = start;
  for (let hop = 0; hop <= limits.previewRedirectsMax; hop++) {
    const target = checkTarget(next);
    if ("refused" in target) return { ok: false, reason: `target_${target.refused}` };
    const url = target.url;
    const address = await checkedAddress(deps, url, deadline);
    if ("reason" in address) return { ok: false, reason: address.reason };
    const res = await request(deps, url, address.ip, opts, deadline);
    if (!res.ok || res.location === undefined) return res.ok ? res.fetched : res;
    try {
      next = new URL(res.location, url);
    } catch {
      return { ok: false, reason: "bad_redirect" };
    }
  }
  return { ok: false, reason: "too_many_redirects" };
}

async function checkedAddress(deps: FetcherDeps, url: URL, deadline: number): Promise<{ ip: string } | { reason: string }> {
  const host = bareHost(url);
  let addresses: string[];
  if (parseAddress(host)) addresses = [host];
  else {
    const resolved = await withDeadline(deps.resolve(host), deadline).catch(() => null);
    if (resolved === null) return { reason: "resolve_failed" };
    if (resolved === "deadline") return { reason: "deadline" };
    addresses = resolved;
  }
  const refused = refuseAddresses(deps.allow, host, addresses);
  return refused ? { reason: `address_${refused}` } : { ip: addresses[0]! };
}

async function withDeadline<T>(p: Promise<T>, deadline: number): Promise<T | "deadline"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"deadline">((r) => (timer = setTimeout(() => r("deadline"), Math.max(0, deadline - Date.now()))));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

type Hop = { ok: true; location: string; fetched?: undefined } | { ok: true; location?: undefined; fetched: Fetched } | { ok: false; reason: string };

function request(deps: FetcherDeps, url: URL, ip: string, opts: FetchOptions, deadline: number): Promise<Hop> {
  const family = ip.includes(":") ? 6 : 4;
  const port = portOf(url);
  const mod = url.protocol === "https:" ? https : http;
  return new Promise<Hop>((resolve) => {
    let settled = false;
    const done = (h: Hop) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(h);
    };
    const timer = setTimeout(() => done({ ok: false, reason: "deadline" }), Math.max(0, deadline - Date.now()));
    const req = mod.request(
      {
        host: bareHost(url),
        servername: url.protocol === "https:" && !parseAddress(bareHost(url)) ? bareHost(url) : undefined,
        port: deps.dialPort ? deps.dialPort(port) : port,
        path: `${url.pathname}${url.search}`,
        method: "GET",
        headers: { host: url.host, "user-agent": USER_AGENT, accept: ACCEPT[opts.kind], "accept-encoding": "identity" },
        // The pin: whatever the name would resolve to now, the socket goes to the checked address.
        lookup: ((_h: string, o: { all?: boolean }, cb: (...a: unknown[]) => void) =>
          o?.all ? cb(null, [{ address: ip, family }]) : cb(null, ip, family)) as never,
      },
      (res) => onResponse(res, url, opts, done),
    );
    req.on("error", (err: NodeJS.ErrnoException) => done({ ok: false, reason: TLS_CODE.test(err.code ?? "") ? "tls_untrusted" : "connect_failed" }));
    req.end();
  });
}

function onResponse(res: http.IncomingMessage, url: URL, opts: FetchOptions, done: (h: Hop) => void): void {
  res.on("error", () => done({ ok: false, reason: "read_failed" }));
  const status = res.statusCode ?? 0;
  if (status >= 300 && status < 400 && status !== 304) {
    const location = res.headers.location;
    return done(location ? { ok: true, location } : { ok: false, reason: "bad_redirect" });
  }
  if (status < 200 || status > 299) return done({ ok: false, reason: `status_${status}` });
  const contentType = (res.headers["content-type"] ?? "").toLowerCase();
  const mime = contentType.split(";")[0]!.trim();
  if (opts.kind === "html" ? mime !== "text/html" : !mime.startsWith("image/")) return done({ ok: false, reason: "content_type" });
  const declared = Number(res.headers["content-length"] ?? Number.NaN);
  if (declared > opts.bytesMax) return done({ ok: false, reason: "too_big" });
  readBody(res, opts, (r) => done(r.ok ? { ok: true, fetched: { ok: true, url, contentType, body: r.body, complete: r.complete } } : r));
}

type Body = { ok: true; body: Uint8Array; complete: boolean } | { ok: false; reason: string };

/** Reads up to bytesMax; HTML stops at the end of the head. */
function readBody(res: http.IncomingMessage, opts: FetchOptions, finish: (b: Body) => void): void {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let scanned = ""; // latin1 tail kept for finding </head> across chunk borders
  res.on("data", (chunk: Buffer) => {
    chunks.push(chunk);
    bytes += chunk.length;
    if (opts.kind === "html") {
      scanned = (scanned.slice(-8) + chunk.toString("latin1")).toLowerCase();
      if (scanned.includes("</head") || scanned.includes("<body")) return finish({ ok: true, body: Buffer.concat(chunks), complete: false });
    }
    if (bytes > opts.bytesMax) finish({ ok: false, reason: "too_big" });
  });
  res.on("end", () => finish({ ok: true, body: Buffer.concat(chunks), complete: true }));
}
