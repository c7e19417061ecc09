// Mode own: the admin's certificate and key files (e.g. from certbot or a company CA).
// Checked at start (readable, parseable, key matches) with one clear FatalError each;
// re-read when the files change so an external renewal needs no restart.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Config } from "../config/schema.ts";
import { FatalError } from "../errors.ts";
import { limits } from "../limits.ts";
import type { Logger } from "../log/port.ts";
import { createSource, type TlsMaterial, type TlsSource } from "./source.ts";

function readPem(file: string, what: string): string {
  const full = resolve(file);
  let size: number;
  try {
    const st = statSync(full);
    if (!st.isFile()) throw new FatalError(`${what} ${full} is not a PEM certificate or key file (it is a directory or device)`);
    size = st.size;
  } catch (err) {
    if (err instanceof FatalError) throw err;
    throw new FatalError(`cannot read ${what} ${full}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (size > limits.tlsCertFileBytesMax) throw new FatalError(`${what} ${full} is ${size} bytes; the limit is ${limits.tlsCertFileBytesMax}`);
  return readFileSync(full, "utf8");
}

/** Reads and validates the pair; every problem is a FatalError naming the file. */
export function loadOwnCert(certFile: string, keyFile: string): TlsMaterial & { notAfter: string } {
  if (!certFile || !keyFile) throw new FatalError("tls.mode is own but tls.certFile or tls.keyFile is empty; set both (PEM files)");
  const cert = readPem(certFile, "tls.certFile");
  const key = readPem(keyFile, "tls.keyFile");
  let x: X509Certificate;
  try {
    x = new X509Certificate(cert);
  } catch {
    throw new FatalError(`tls.certFile ${resolve(certFile)} is not a PEM certificate`);
  }
  let k: ReturnType<typeof createPrivateKey>;
  try {
    k = createPrivateKey(key);
  } catch {
    throw new FatalError(`tls.keyFile ${resolve(keyFile)} is not a PEM private key (encrypted keys are not supported)`);
  }
  if (!x.checkPrivateKey(k)) throw new FatalError(`tls.keyFile ${resolve(keyFile)} does not belong to the certificate in tls.certFile ${resolve(certFile)}`);
  return { cert, key, notAfter: x.validTo };
}

const stamp = (c: Config) => `${statSync(c.tls.certFile).mtimeMs}:${statSync(c.tls.keyFile).mtimeMs}`;

export function startOwnCert(config: Config, log: Logger, intervalMs?: number): TlsSource {
  const first = loadOwnCert(config.tls.certFile, config.tls.keyFile);
  if (Date.parse(first.notAfter) < Date.now()) log.warn("tls.certFile has expired", { notAfter: first.notAfter });
  let seen = stamp(config);
  return createSource(
    {
      mode: "own",
      hsts: true,
      log,
      intervalMs,
      async refresh() {
        const now = stamp(config);
        if (now === seen) return null;
        const next = loadOwnCert(config.tls.certFile, config.tls.keyFile); // a bad new pair throws: keep serving the old one
        seen = now;
        log.info("tls.certFile changed; serving the new certificate", { notAfter: next.notAfter });
        return { cert: next.cert, key: next.key };
      },
    },
    { cert: first.cert, key: first.key },
  );
}
