// Test support: a Web Push service stand-in. An HTTPS server on loopback (its own CA,
// made here; the Hearth server under test trusts it through push.caFile) speaking RFC 8030
// POST. It checks every request like a real push service would — VAPID (RFC 8292: ES256
// signature under the `k` key, aud = its origin, exp within 24 h, sub present) and the
// aes128gcm body — and DECRYPTS it with the subscription's private key, with its own
// WebCrypto decryptor written from RFC 8291/8188 (nothing shared with ../push/ece.ts).
// Each subscription answers 201 unless told otherwise (404, 410, 413, 429 + Retry-After, 500).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCa, issueLeaf } from "../../src/tls/x509.ts";
import type { PushPayload } from "../../src/protocol/methods/push.ts";

type Bytes = Uint8Array<ArrayBuffer>;
const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64url");
const unb64 = (s: string): Bytes => new Uint8Array(Buffer.from(s, "base64url"));
const te = new TextEncoder();
const join8 = (...p: Uint8Array[]): Bytes => {
  const out = new Uint8Array(p.reduce((n, x) => n + x.length, 0));
  let i = 0;
  for (const x of p) out.set(x, (i += x.length) - x.length);
  return out;
};

export interface TestSubscription {
  id: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface Delivered {
  subscriptionId: string;
  payload: PushPayload;
  ttl: number;
  urgency: string | null;
  topic: string | null;
  status: number; // what the stand-in answered
  bodyBytes: number;
}

export interface Answer {
  status: number;
  retryAfterSec?: number;
}

interface Sub extends TestSubscription {
  privateKey: CryptoKey;
  publicRaw: Bytes;
  auth: Bytes;
  answers: Answer[];
}

export interface PushService {
  origin: string;
  caFile: string;
  /** Config overrides that make a Hearth server trust and reach this stand-in. */
  set: string[];
  subscription(): Promise<TestSubscription>;
  /** The next answers for this subscription, in order (then 201 again). */
  answer(subscriptionId: string, ...answers: Answer[]): void;
  /** Every decrypted request, answered or not, in arrival order. */
  delivered: Delivered[];
  /** Requests that failed verification (must stay empty). */
  problems: string[];
  /** Holds every answer until the returned release is called (requests stay in flight). */
  hold(): () => void;
  /** Requests that arrived and wait for a release. */
  waiting(): number;
  /** Subscription ids of those requests. */
  waitingFor(): string[];
  /** Requests per subscription whose answer was 2xx. */
  accepted(subscriptionId: string): Delivered[];
  stop(): Promise<void>;
}

export interface PushServiceOptions {
  /** Verify and decrypt only every n-th request (the bench: the sender's cost is measured, not ours). Default 1. */
  checkEvery?: number;
}

export async function startPushService(opts: PushServiceOptions = {}): Promise<PushService> {
  const checkEvery = opts.checkEvery ?? 1;
  let requests = 0;
  const now = Date.now();
  const ca = await createCa("Hearth test push service CA", now, 2);
  const leaf = await issueLeaf(ca, { dns: ["localhost"], ips: ["127.0.0.1"] }, now, 2);
  const dir = mkdtempSync(join(tmpdir(), "push-standin-"));
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, ca.certPem);
  const subs = new Map<string, Sub>();
  const delivered: Delivered[] = [];
  const problems: string[] = [];
  let origin = "";
  let gate: Promise<void> | null = null;
  let waiting = 0;
  const waitingIds: string[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    tls: { cert: leaf.certPem, key: leaf.keyPem },
    async fetch(req) {
      const url = new URL(req.url);
      if (req.method === "GET" && url.pathname === "/stats") return Response.json({ requests, checked: delivered.length, problems });
      requests++;
      if (requests % checkEvery !== 0 && req.method === "POST") {
        await req.arrayBuffer();
        return new Response(null, { status: 201 });
      }
      const sub = subs.get(url.pathname.replace(/^\/push\//, ""));
      if (req.method !== "POST" || !sub) return new Response("no such subscription", { status: 404 });
      const problem = await checkRequest(req, origin);
      const body = new Uint8Array(await req.arrayBuffer());
      if (problem) {
        problems.push(problem);
        return new Response(problem, { status: 400 });
      }
      let payload: PushPayload;
      try {
        payload = JSON.parse(new TextDecoder().decode(await decrypt(body, sub)));
      } catch (err) {
        problems.push(`cannot decrypt: ${err}`);
        return new Response("bad body", { status: 400 });
      }
      if (gate) {
        waiting++;
        waitingIds.push(sub.id);
        await gate;
        waiting--;
        waitingIds.splice(waitingIds.indexOf(sub.id), 1);
      }
      const a = sub.answers.shift() ?? { status: 201 };
      delivered.push({
        subscriptionId: sub.id,
        payload,
        ttl: Number(req.headers.get("ttl")),
        urgency: req.headers.get("urgency"),
        topic: req.headers.get("topic"),
        status: a.status,
        bodyBytes: body.length,
      });
      const headers: Record<string, string> = a.retryAfterSec !== undefined ? { "Retry-After": String(a.retryAfterSec) } : {};
      return new Response(null, { status: a.status, headers });
    },
  });
  origin = `https://127.0.0.1:${server.port}`;
  let n = 0;
  return {
    origin,
    caFile,
    set: [`push.caFile=${caFile}`, "push.allowPrivateHosts=127.0.0.1"],
    delivered,
    problems,
    async subscription() {
      const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
      const publicRaw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
      const auth = crypto.getRandomValues(new Uint8Array(16));
      const id = `s${++n}x${b64(crypto.getRandomValues(new Uint8Array(6)))}`;
      const sub: Sub = { id, endpoint: `${origin}/push/${id}`, keys: { p256dh: b64(publicRaw), auth: b64(auth) }, privateKey: pair.privateKey, publicRaw, auth, answers: [] };
      subs.set(id, sub);
      return { id, endpoint: sub.endpoint, keys: sub.keys };
    },
    answer(id, ...answers) {
      subs.get(id)!.answers.push(...answers);
    },
    hold() {
      let release!: () => void;
      gate = new Promise<void>((r) => (release = r));
      return () => {
        gate = null;
        release();
      };
    },
    waiting: () => waiting,
    waitingFor: () => [...waitingIds],
    accepted: (id) => delivered.filter((d) => d.subscriptionId === id && d.status >= 200 && d.status < 300),
    async stop() {
      await server.stop(true);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** RFC 8030 + RFC 8292 checks; a string says what is wrong. */
async function checkRequest(req: Request, origin: string): Promise<string | null> {
  if (req.headers.get("content-encoding") !== "aes128gcm") return "Content-Encoding is not aes128gcm";
  const ttl = req.headers.get("ttl");
  if (ttl === null || !/^\d+$/.test(ttl)) return "TTL missing";
  const topic = req.headers.get("topic");
  if (topic !== null && !/^[A-Za-z0-9_-]{1,32}$/.test(topic)) return `bad Topic ${topic}`;
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(req.headers.get("authorization") ?? "");
  if (!m) return "Authorization is not vapid t=…, k=…";
  const [h, c, s] = m[1]!.split(".");
  if (!h || !c || !s) return "JWT is not three parts";
  const header = JSON.parse(Buffer.from(h, "base64url").toString());
  if (header.alg !== "ES256") return "JWT alg is not ES256";
  const key = await crypto.subtle.importKey("raw", unb64(m[2]!), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  const ok = await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, unb64(s), te.encode(`${h}.${c}`));
  if (!ok) return "JWT signature does not verify with k";
  const claims = JSON.parse(Buffer.from(c, "base64url").toString());
  if (claims.aud !== origin) return `aud ${claims.aud} is not ${origin}`;
  const nowSec = Date.now() / 1000;
  if (typeof claims.exp !== "number" || claims.exp <= nowSec || claims.exp > nowSec + 24 * 3600) return "exp not within 24 h";
  if (typeof claims.sub !== "string" || !/^(mailto:|https:)/.test(claims.sub)) return "sub missing";
  return null;
}

async function hkdf(salt: Bytes, ikm: Bytes, info: Bytes, bits: number): Promise<Bytes> {
  const k = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, k, bits));
}

/** The user agent's side of RFC 8291: one aes128gcm record, padding stripped. */
async function decrypt(body: Uint8Array, sub: Sub): Promise<Uint8Array> {
  const salt = body.slice(0, 16);
  const rs = new DataView(body.buffer, body.byteOffset).getUint32(16);
  const idlen = body[20]!;
  const asPublic = body.slice(21, 21 + idlen);
  const record = body.slice(21 + idlen);
  if (record.length > rs) throw new Error("more than one record");
  const as = await crypto.subtle.importKey("raw", asPublic, { name: "ECDH", namedCurve: "P-256" }, false, []);
  const secret = new Uint8Array(await crypto.subtle.deriveBits({ name: "ECDH", public: as }, sub.privateKey, 256));
  const ikm = await hkdf(sub.auth, secret, join8(te.encode("WebPush: info"), new Uint8Array([0]), sub.publicRaw, asPublic), 256);
  const cek = await hkdf(salt, ikm, te.encode("Content-Encoding: aes128gcm\u0000"), 128);
  const nonce = await hkdf(salt, ikm, te.encode("Content-Encoding: nonce\u0000"), 96);
  const key = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["decrypt"]);
  const plain = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: nonce }, key, record));
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  if (plain[end] !== 2) throw new Error("last record has no 0x02 delimiter");
  return plain.slice(0, end);
}
