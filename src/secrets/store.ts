// Secrets on disk: <data>/secrets/<name>, one file each, mode 0600 in a 0700 directory.
// Each is generated independently from the CSPRNG on first start and never derived from
// another, so rotating one (or leaking one) says nothing about the rest. Files are written
// atomically (temp file, fsync, rename, fsync dir) so a crash never leaves half a secret.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { FatalError } from "../errors.ts";
import { randomToken } from "../ids.ts";
import { SECRET_NAMES, type SecretName, type Secrets } from "./secrets.ts";
import { createTotpBox, keyId, type TotpBox } from "./totp-box.ts";
import { newP256PrivateKey } from "./p256.ts";

const RETIRED_TOTP = "totp-key.retired-";

const SECRET_BYTES = 32;
/** 32 bytes in base64url; a shorter hand-placed value is too weak to accept. */
const SECRET_CHARS_MIN = 43;

export function secretsDir(dataDir: string): string {
  return join(dataDir, "secrets");
}

/** Reads every secret, creating the missing ones. Throws FatalError on unsafe files. */
export function loadSecrets(dataDir: string): Secrets {
  const dir = ensureDir(dataDir);
  const values = new Map<SecretName, string>();
  const previous = new Map<SecretName, string>();
  for (const name of SECRET_NAMES) {
    const path = join(dir, name);
    if (!exists(path)) writeAtomically(dir, name, freshValue(name));
    values.set(name, readChecked(path));
    const old = join(dir, previousName(name));
    if (exists(old)) previous.set(name, readChecked(old));
  }
  return {
    get(name) {
      const v = values.get(name);
      if (v === undefined) throw new Error(`unknown secret ${name}`);
      return v;
    },
    previous: (name) => previous.get(name) ?? null,
  };
}

const previousName = (name: string) => `${name}.previous`;

/**
 * Replaces one secret with a fresh random value, keeping the replaced one as
 * <name>.previous (one generation only); the others are untouched. Takes effect at the next start.
 */
export function rotateSecret(dataDir: string, name: string): void {
  if (!(SECRET_NAMES as readonly string[]).includes(name)) {
    throw new FatalError(`unknown secret "${name}"; known: ${SECRET_NAMES.join(", ")}`);
  }
  const dir = ensureDir(dataDir);
  const path = join(dir, name);
  // Rows sealed with the old TOTP key must still open until the next start re-encrypts them.
  if (name === "totp-key" && exists(path)) {
    const old = readChecked(path);
    writeAtomically(dir, `${RETIRED_TOTP}${keyId(old)}`, old);
  } else if (exists(path)) writeAtomically(dir, previousName(name), readChecked(path));
  writeAtomically(dir, name, freshValue(name));
}

/** A new random value; the VAPID key is a P-256 private key made by the key generator (a valid scalar by construction). */
function freshValue(name: SecretName | string): string {
  if (name === "vapid-key") return newP256PrivateKey();
  return randomToken(SECRET_BYTES);
}

/** The TOTP box for this data dir: the current key and every retired one. */
export function loadTotpBox(dataDir: string, secrets: Secrets): TotpBox {
  const dir = ensureDir(dataDir);
  const retired = readdirSync(dir).filter((n) => n.startsWith(RETIRED_TOTP)).map((n) => readChecked(join(dir, n)));
  return createTotpBox(secrets.get("totp-key"), retired);
}

/** After every secret is sealed with the current key: the retired keys are no longer needed. */
export function dropRetiredTotpKeys(dataDir: string): string[] {
  const dir = ensureDir(dataDir);
  const gone = readdirSync(dir).filter((n) => n.startsWith(RETIRED_TOTP));
  for (const n of gone) unlinkSync(join(dir, n));
  return gone;
}

function ensureDir(dataDir: string): string {
  const dir = secretsDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw new FatalError(`cannot read secret file ${path}: ${(err as NodeJS.ErrnoException).code}`);
  }
}

function readChecked(path: string): string {
  const st = statSync(path);
  if (!st.isFile()) throw new FatalError(`secret ${path} is not a regular file`);
  if ((st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(3, "0");
    throw new FatalError(`secret file ${path} is accessible to group or others (mode ${mode}); run: chmod 600 ${path}`);
  }
  const value = readFileSync(path, "utf8").trim();
  if (value === "") throw new FatalError(`secret file ${path} is empty; delete it to generate a new one`);
  if (!/^[A-Za-z0-9_-]+$/.test(value) || value.length < SECRET_CHARS_MIN) {
    throw new FatalError(`secret file ${path} must hold at least ${SECRET_CHARS_MIN} base64url characters`);
  }
  return value;
}

function writeAtomically(dir: string, name: string, value: string): void {
  const tmp = join(dir, `.${name}.${randomToken(6)}.tmp`);
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, value + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name));
  const dirFd = openSync(dir, "r");
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
