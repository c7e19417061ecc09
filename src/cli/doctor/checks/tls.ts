// HTTPS and discovery: what the TLS mode means, the certificate's expiry and names, whether
// the address people use is a secure context (calls, PWA and push need one), and whether
// the address WebRTC announces is one the certificate covers.
import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import type { Config } from "../../../config/schema.ts";
import { limits } from "../../../limits.ts";
import { announcedAddress, isLoopbackHost, lanAddress } from "../../../net/lan.ts";
import { acmeFiles } from "../../../tls/acme.ts";
import { currentServerNames } from "../../../tls/index.ts";
import { caProblem, leafNamesFor, localCaFiles } from "../../../tls/local-ca.ts";
import { nameChanges, sameNames } from "../../../tls/names.ts";
import { loadOwnCert } from "../../../tls/own.ts";
import { httpsPort } from "../../../tls/port.ts";
import { readIfExists } from "../../../tls/files.ts";
import { canonicalIp, certNames, type LeafNames } from "../../../tls/x509.ts";
import { type Check, type CheckResult, fail, ok, warn } from "../check.ts";

const DAY_MS = 86_400_000;

function expiry(check: string, certPem: string, now: number): CheckResult {
  const x = new X509Certificate(certPem);
  const days = Math.floor((Date.parse(x.validTo) - now) / DAY_MS);
  const names = x.subjectAltName ?? "(no names)";
  if (days < 0) return fail(check, `expired ${-days} days ago (${x.validTo}); names: ${names}`);
  const text = `valid ${days} more days (until ${x.validTo}); names: ${names}`;
  return days < limits.tlsRenewBeforeDays ? warn(check, `${text}; renewal is due`) : ok(check, text);
}

async function modeLines(config: Config, now: number): Promise<{ results: CheckResult[]; names: LeafNames | null }> {
  const mode = config.tls.mode;
  const port = `HTTPS on ${config.server.host}:${httpsPort(config) || "a free port"}`;
  if (mode === "off") return { results: [ok("tls mode", "off: plain HTTP only, for a TLS-terminating reverse proxy (docs/operations.md)")], names: null };
  if (mode === "own") {
    try {
      const own = loadOwnCert(config.tls.certFile, config.tls.keyFile);
      return { results: [ok("tls mode", `own: ${port} with ${config.tls.certFile}; HSTS on`), expiry("tls certificate", own.cert, now)], names: certNames(own.cert) };
    } catch (err) {
      return { results: [fail("tls mode", (err as Error).message)], names: null };
    }
  }
  if (mode === "acme") {
    const head = ok("tls mode", `acme: ${port} for ${config.tls.acmeDomain || "(tls.acmeDomain is empty!)"} via ${config.tls.acmeChallenge} from ${config.tls.acmeDirectoryUrl}; HSTS on`);
    const cert = readIfExists(acmeFiles(config.data.dir).cert);
    return { results: [head, cert ? expiry("tls certificate", cert, now) : ok("tls certificate", "none yet: obtained at first start")], names: cert ? certNames(cert) : null };
  }
  return localCaLines(config, now, port);
}

async function localCaLines(config: Config, now: number, port: string): Promise<{ results: CheckResult[]; names: LeafNames | null }> {
  const f = localCaFiles(config.data.dir);
  const ca = readIfExists(f.caCert);
  const leaf = readIfExists(f.cert);
  const wanted = currentServerNames(config);
  const head = ok("tls mode", `local-ca: ${port} with Hearth's own CA; devices trust it via the page on http://<LAN address>:${config.server.port}`);
  if (!ca || !leaf) return { results: [head, ok("tls certificate", "none yet: the CA and certificate are created at first start")], names: wanted };
  const fp = `SHA-256 ${new X509Certificate(ca).fingerprint256}`;
  const replace = await caProblem(ca, wanted, now);
  const caLine = replace ? warn("tls local CA", `${fp}: ${replace}; the next start replaces it and every device must trust the new CA`) : ok("tls local CA", `${fp} (compare with the trust page)`);
  const results = [head, caLine, expiry("tls certificate", leaf, now)];
  const have = certNames(leaf);
  const { names: servable, left } = await leafNamesFor(ca, wanted);
  if (left.length) results.push(warn("tls names left out", `left out of the certificate, the CA does not permit them: ${left.join(", ")} (to include them, delete ${f.caCert} and ${f.caKey}; every device must then trust the new CA)`));
  if (!sameNames(have, servable)) results.push(warn("tls names", `this machine's names changed (${nameChanges(have, servable)}); a running server re-issues within ${limits.tlsAddressCheckIntervalMs / 60_000} min`));
  return { results, names: have }; // what is served now, not what the next check would issue
}

/** Is the URL people would use a secure context? http:// is one only on loopback. */
function secureContextLine(config: Config): CheckResult {
  const url = config.server.publicUrl;
  const hint = "calls, the installable app and push need HTTPS (tls.mode) or a TLS-terminating proxy";
  if (url) {
    const u = new URL(url);
    if (u.protocol === "https:" || isLoopbackHost(u.hostname)) return ok("secure context", `${url} is a secure context`);
    return warn("secure context", `server.publicUrl ${url} is plain http on a non-loopback host: not a secure context; ${hint}`);
  }
  if (isLoopbackHost(config.server.host)) return ok("secure context", `bound to ${config.server.host}: only this machine connects (http://localhost is a secure context)`);
  if (config.tls.mode !== "off") return ok("secure context", `LAN devices are sent to https on port ${config.tls.port}`);
  const ip = lanAddress() ?? "<LAN address>";
  return warn("secure context", `LAN devices would use http://${ip}:${config.server.port}: not a secure context; ${hint}`);
}

function mediaAddressLine(config: Config, names: LeafNames | null): CheckResult {
  const media = announcedAddress(config.calls.announcedAddress);
  if (!names || config.tls.mode === "off") return ok("tls media address", `calls announce ${media}`);
  const covered = isIP(media) ? names.ips.includes(canonicalIp(media)) : names.dns.includes(media.toLowerCase());
  if (covered) return ok("tls media address", `calls announce ${media}, which the certificate covers`);
  if (config.tls.mode !== "local-ca") return ok("tls media address", `calls announce ${media} (not in the ${config.tls.mode} certificate; fine for a public name)`);
  return warn("tls media address", `calls announce ${media} but the certificate does not cover it: people opening https://${media} would see a warning`);
}

export const tlsCheck: Check = async ({ config }) => {
  const { results, names } = await modeLines(config, Date.now());
  return [...results, secureContextLine(config), mediaAddressLine(config, names)];
};
