// Mode acme: a certificate for tls.acmeDomain from an ACME CA (Let's Encrypt by default)
// with the maintained `acme-client` library. HTTP-01 answers are served by the plain
// listener (src/server/tls-edge.ts); TLS-ALPN-01 needs a special certificate offered only
// to clients asking for ALPN "acme-tls/1", which Bun.serve cannot select per connection,
// so during that challenge the HTTPS listener lends its port to a node:tls responder.
// Account key, key and certificate live in <data>/tls/acme/; renewal when < 30 days left.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { Agent } from "node:https";
import { join } from "node:path";
import tls from "node:tls";
import type { Config } from "../config/schema.ts";
import { FatalError } from "../errors.ts";
import { limits } from "../limits.ts";
import type { Logger } from "../log/port.ts";
import { readIfExists, writeAtomic } from "./files.ts";
import { isDnsName } from "./names.ts";
import { createSource, type PortLease, type TlsMaterial, type TlsSource } from "./source.ts";

const DAY_MS = 86_400_000;
type Acme = typeof import("acme-client");

export const acmeFiles = (dataDir: string) => {
  const dir = join(dataDir, "tls", "acme");
  return { dir, account: join(dir, "account.key"), key: join(dir, "key.pem"), cert: join(dir, "cert.pem") };
};

export interface AcmeOptions {
  /** Extra CA trusted for the ACME directory's own HTTPS (a private ACME server, Pebble in tests). */
  directoryCaPem?: string;
  intervalMs?: number;
}

/** The stored pair, or null when absent or unusable (damaged, mismatched): then a new one is ordered. */
function stored(dataDir: string): (TlsMaterial & { notAfter: number }) | null {
  const f = acmeFiles(dataDir);
  const cert = readIfExists(f.cert);
  const key = readIfExists(f.key);
  if (!cert || !key) return null;
  try {
    const x = new X509Certificate(cert);
    if (!x.checkPrivateKey(createPrivateKey(key))) return null;
    return { cert, key, notAfter: Date.parse(x.validTo) };
  } catch {
    return null;
  }
}

export async function startAcme(config: Config, log: Logger, now: () => number, opts: AcmeOptions = {}): Promise<TlsSource> {
  const domain = config.tls.acmeDomain.trim().toLowerCase();
  if (!isDnsName(domain) || !domain.includes(".")) throw new FatalError(`tls.mode is acme but tls.acmeDomain "${config.tls.acmeDomain}" is not a public DNS name (e.g. chat.example.org)`);
  const acme: Acme = await import("acme-client");
  if (opts.directoryCaPem) acme.axios.defaults.httpsAgent = new Agent({ ca: opts.directoryCaPem });
  const http01 = new Map<string, string>();
  let lease: PortLease | null = null;
  let retryAt = 0;
  const have = stored(config.data.dir);
  if (!have && readIfExists(acmeFiles(config.data.dir).cert)) log.warn("the stored ACME certificate or key is damaged or does not match; ordering a new one", { dir: acmeFiles(config.data.dir).dir });
  const issue = () => orderCertificate(acme, config, domain, { http01, lease: () => lease, log });
  const source = createSource(
    {
      mode: "acme",
      hsts: true,
      log,
      intervalMs: opts.intervalMs,
      acmeHttpAnswer: (token) => http01.get(token) ?? null,
      attachListener: (l) => {
        lease = l;
        void source.check(); // first issuance or renewal runs in the background; the plain listener serves meanwhile
      },
      async refresh() {
        const current = stored(config.data.dir);
        if (current && current.notAfter - now() > limits.tlsRenewBeforeDays * DAY_MS) return null;
        if (now() < retryAt) return null;
        try {
          const next = await issue();
          log.info("ACME certificate obtained", { domain, notAfter: new X509Certificate(next.cert).validTo });
          return next;
        } catch (err) {
          retryAt = now() + limits.acmeRetryDelayMs;
          throw err;
        }
      },
    },
    have ? { cert: have.cert, key: have.key } : null,
  );
  return source;
}

interface OrderDeps {
  http01: Map<string, string>;
  lease: () => PortLease | null;
  log: Logger;
}

async function orderCertificate(acme: Acme, config: Config, domain: string, d: OrderDeps): Promise<TlsMaterial> {
  const f = acmeFiles(config.data.dir);
  let accountKey = readIfExists(f.account);
  if (!accountKey) {
    accountKey = (await acme.crypto.createPrivateEcdsaKey()).toString();
    writeAtomic(f.account, accountKey, 0o600);
  }
  const client = new acme.Client({ directoryUrl: config.tls.acmeDirectoryUrl, accountKey });
  const [key, csr] = await acme.crypto.createCsr({ commonName: domain, altNames: [domain] }, await acme.crypto.createPrivateEcdsaKey());
  const alpn = config.tls.acmeChallenge === "tls-alpn-01";
  let responder: tls.Server | null = null;
  const deadline = AbortSignal.timeout(limits.acmeOrderTimeoutMs);
  const cert = await Promise.race([
    client.auto({
      csr,
      email: config.tls.acmeEmail || undefined,
      termsOfServiceAgreed: true,
      challengePriority: [config.tls.acmeChallenge],
      skipChallengeVerification: true, // self-checks fail behind NAT without hairpinning; the CA's verdict is logged instead
      challengeCreateFn: async (authz, challenge, keyAuthorization) => {
        if (challenge.type === "http-01") d.http01.set(challenge.token, keyAuthorization);
        else if (alpn) responder = await alpnResponder(acme, authz, keyAuthorization, d.lease());
      },
      challengeRemoveFn: async (_authz, challenge) => {
        d.http01.delete(challenge.token);
        if (responder) await closeResponder(responder, d.lease());
        responder = null;
      },
    }),
    new Promise<never>((_, reject) => deadline.addEventListener("abort", () => reject(new Error(`ACME order for ${domain} took longer than ${limits.acmeOrderTimeoutMs} ms`)))),
  ]);
  writeAtomic(f.key, key.toString(), 0o600);
  writeAtomic(f.cert, cert, 0o600);
  return { cert, key: key.toString() };
}

/** A TLS server offering only ALPN acme-tls/1 with the challenge certificate, on the HTTPS port. */
async function alpnResponder(acme: Acme, authz: Parameters<Acme["crypto"]["createAlpnCertificate"]>[0], keyAuthorization: string, lease: PortLease | null): Promise<tls.Server> {
  if (!lease) throw new Error("tls-alpn-01 needs the HTTPS listener's port, and no listener is attached");
  const [key, cert] = await acme.crypto.createAlpnCertificate(authz, keyAuthorization);
  const port = await lease.pause();
  const server = tls.createServer({ key: key.toString(), cert: cert.toString(), ALPNProtocols: ["acme-tls/1"] }, (s) => s.end());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, lease.host, () => resolve());
  });
  return server;
}

async function closeResponder(server: tls.Server, lease: PortLease | null): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  lease?.resume();
}
