// What the console's health panel shows: the calls workers, free space where the data
// lives, the certificate's expiry when HTTPS is on, and the last scheduled backup (from
// the scheduler in src/backups/; null while none has run: the console says "no backup
// yet" — a hand-run `hearth backup` leaves no record the server reads).
import { X509Certificate } from "node:crypto";
import { statfsSync } from "node:fs";
import pkg from "../../package.json" with { type: "json" };
import type { Health } from "../protocol/methods/admin.ts";
import type { AdminDeps, AdminOptions } from "./deps.ts";

export function health(deps: AdminDeps, opts: AdminOptions, startedAt: number): Health {
  const calls = opts.calls?.health() ?? { state: "not_started" as const, workers: deps.config.calls.workers, workersAlive: 0, activeCalls: 0, detail: "" };
  return { calls, disk: disk(deps.config.data.dir), tls: tls(deps, opts), backup: lastBackup(deps), version: pkg.version, startedAt };
}

function lastBackup(deps: AdminDeps): Health["backup"] {
  const last = deps.backups?.status().last;
  if (!last) return null;
  const bytes = last.dbBytes + last.mediaNewBytes;
  return { at: last.startedAt, bytes, ok: last.ok, detail: last.ok ? (last.name ?? "") : (last.error ?? "failed") };
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
