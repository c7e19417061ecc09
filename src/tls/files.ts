// Small file helpers for key material: private keys are written 0600 inside a 0700
// directory, always via a temp file and rename so a crash never leaves half a key.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { randomToken } from "../ids.ts";

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Atomically replaces `file` with `text` (mode applies to the new file). */
export function writeAtomic(file: string, text: string, mode: number): void {
  ensurePrivateDir(dirname(file));
  const tmp = `${file}.${randomToken().slice(0, 8)}.tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode); // writeFileSync's mode is filtered by the umask
  renameSync(tmp, file);
}

export function readIfExists(file: string): string | null {
  return existsSync(file) ? readFileSync(file, "utf8") : null;
}
