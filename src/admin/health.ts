// What the console's health panel shows: the calls workers, free space where the data
// lives, the certificate's expiry when HTTPS is on, and the last backup. Backups leave
// no record today (`hearth backup` is run by hand and writes only its copy), so
// `backup` is null: the console says "no backup yet".
import { X509Certificate } from "node:crypto";
import { statfsSync } from "node:fs";
import pkg from "../../package.json" with { type: "json" };
import type { Health } from "../protocol/methods/admin.ts";
import type { AdminDeps, AdminOptions } from "./deps.ts";

export function health(deps: AdminDeps, opts: AdminOptions, startedAt: number): Health {
  const calls = opts.calls?.health() ?? { state: "not_started" as const, workers: deps.config.calls.workers, workersAlive: 0, activeCalls: 0, detail: "" };
  return { calls, disk: disk(deps.config.data.dir), tls: tls(deps, opts), backup: null, version: pkg.version, startedAt };
}

function disk(path: string): Health["disk"] {
  try {
    const fs = statfsSync(path);
    return { path, freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize };
  } catch {
    return { path, freeBytes: 0, totalBytes: 0 };
  }
}

function tls(deps: AdminDeps, opts: AdminOptions): Health["tls"] {
  const mode = deps.config.tls.mode;
  const source = opts.tls?.() ?? null;
  const pem = source?.material()?.cert;
  if (mode === "off" || !pem) return { mode, expiresAt: null, subject: "" };
  try {
    const cert = new X509Certificate(pem); // the first certificate of the chain: the server's own
    return { mode, expiresAt: Date.parse(cert.validTo), subject: cert.subject.replace(/\n/g, ", ") };
  } catch {
    return { mode, expiresAt: null, subject: "" };
  }
}
