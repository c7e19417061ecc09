// Small file helpers for key material: private keys are written 0600 inside a 0700
// directory, always via a temp file and rename so a crash never leaves half a key.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { FatalError } from "../errors.ts";
import { randomToken } from "../ids.ts";

/** A damaged data dir (the tls dir is a file, no permission) is one clear line, not a stack trace. */
function fsFatal<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new FatalError(`cannot ${what}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export function ensurePrivateDir(dir: string): void {
  fsFatal(`use directory ${dir}`, () => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  });
}

/** Atomically replaces `file` with `text` (mode applies to the new file). */
export function writeAtomic(file: string, text: string, mode: number): void {
  ensurePrivateDir(dirname(file));
  const tmp = `${file}.${randomToken().slice(0, 8)}.tmp`;
  fsFatal(`write ${file}`, () => {
    writeFileSync(tmp, text, { mode });
    chmodSync(tmp, mode); // writeFileSync's mode is filtered by the umask
    renameSync(tmp, file);
  });
}

export function readIfExists(file: string): string | null {
  return existsSync(file) ? fsFatal(`read ${file}`, () => readFileSync(file, "utf8")) : null;
}
