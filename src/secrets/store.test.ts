import { describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FatalError } from "../errors.ts";
import { SECRET_NAMES } from "./secrets.ts";
import { loadSecrets, rotateSecret, secretsDir } from "./store.ts";

const fresh = () => join(mkdtempSync(join(tmpdir(), "hearth-secrets-")), "data");
const mode = (path: string) => statSync(path).mode & 0o777;

function fatal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FatalError);
    return (err as FatalError).message;
  }
  throw new Error("expected a FatalError");
}

describe("loadSecrets", () => {
  test("generates each secret on first start with 0600 files in a 0700 dir", () => {
    const data = fresh();
    const secrets = loadSecrets(data);
    expect(mode(secretsDir(data))).toBe(0o700);
    for (const name of SECRET_NAMES) {
      const path = join(secretsDir(data), name);
      expect(mode(path)).toBe(0o600);
      expect(secrets.get(name)).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(secrets.get(name), "base64url").length).toBe(32);
      expect(readFileSync(path, "utf8").trim()).toBe(secrets.get(name));
    }
    expect(readdirSync(secretsDir(data)).sort()).toEqual([...SECRET_NAMES].sort()); // no temp files left
  });

  test("is stable across restarts and differs between data dirs", () => {
    const data = fresh();
    const first = loadSecrets(data).get("access-token-key");
    expect(loadSecrets(data).get("access-token-key")).toBe(first);
    expect(loadSecrets(fresh()).get("access-token-key")).not.toBe(first);
  });

  test("refuses a group- or world-readable secret file", () => {
    const data = fresh();
    loadSecrets(data);
    const path = join(secretsDir(data), "access-token-key");
    chmodSync(path, 0o644);
    expect(fatal(() => loadSecrets(data))).toBe(
      `secret file ${path} is accessible to group or others (mode 644); run: chmod 600 ${path}`,
    );
    chmodSync(path, 0o640);
    expect(fatal(() => loadSecrets(data))).toContain("(mode 640)");
  });

  test("refuses an empty or too short secret file", () => {
    const data = fresh();
    loadSecrets(data);
    const path = join(secretsDir(data), "access-token-key");
    writeFileSync(path, "\n", { mode: 0o600 });
    expect(fatal(() => loadSecrets(data))).toBe(`secret file ${path} is empty; delete it to generate a new one`);
    writeFileSync(path, "short", { mode: 0o600 });
    expect(fatal(() => loadSecrets(data))).toContain("at least 43 base64url characters");
  });

  test("accepts a strong hand-placed secret", () => {
    const data = fresh();
    loadSecrets(data);
    const value = "A".repeat(64);
    writeFileSync(join(secretsDir(data), "access-token-key"), value + "\n", { mode: 0o600 });
    expect(loadSecrets(data).get("access-token-key")).toBe(value);
  });
});

describe("rotateSecret", () => {
  test("replaces one secret and keeps its mode", () => {
    const data = fresh();
    const before = loadSecrets(data).get("access-token-key");
    rotateSecret(data, "access-token-key");
    const after = loadSecrets(data).get("access-token-key");
    expect(after).not.toBe(before);
    expect(mode(join(secretsDir(data), "access-token-key"))).toBe(0o600);
  });

  test("keeps the replaced value, one generation back, as <name>.previous", () => {
    const data = fresh();
    const first = loadSecrets(data);
    expect(first.previous("access-token-key")).toBeNull();
    rotateSecret(data, "access-token-key");
    const second = loadSecrets(data);
    expect(second.previous("access-token-key")).toBe(first.get("access-token-key"));
    expect(mode(join(secretsDir(data), "access-token-key.previous"))).toBe(0o600);
    rotateSecret(data, "access-token-key");
    expect(loadSecrets(data).previous("access-token-key")).toBe(second.get("access-token-key"));
    expect(loadSecrets(data).previous("invite-code-key")).toBeNull();
  });

  test("leaves the other secret files untouched", () => {
    const data = fresh();
    loadSecrets(data);
    const dir = secretsDir(data);
    const [target, ...others] = SECRET_NAMES;
    // A bystander file stands in for secrets added later; the real others are checked too.
    writeFileSync(join(dir, "bystander"), "B".repeat(43), { mode: 0o600 });
    const before = new Map([...others, "bystander"].map((n) => [n, readFileSync(join(dir, n), "utf8")]));
    const listing = readdirSync(dir).sort();
    rotateSecret(data, target);
    for (const [n, text] of before) expect(readFileSync(join(dir, n), "utf8")).toBe(text);
    expect(readdirSync(dir).sort()).toEqual([...listing, `${target}.previous`].sort());
  });

  test("refuses an unknown name", () => {
    expect(fatal(() => rotateSecret(fresh(), "../etc/passwd"))).toBe(
      `unknown secret "../etc/passwd"; known: ${SECRET_NAMES.join(", ")}`,
    );
  });
});
