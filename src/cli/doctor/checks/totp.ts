// Two-factor secrets at rest: every one sealed with the current secrets/totp-key? Reads
// the key files without creating any (doctor changes nothing) and only key ids from the
// database: no secret is decrypted here.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { secretsDir } from "../../../secrets/store.ts";
import { createTotpBox, keyId } from "../../../secrets/totp-box.ts";
import { type Check, fail, ok, warn } from "../check.ts";

export const totpCheck: Check = async ({ dataDir, dbFile, db }) => {
  if (!existsSync(dbFile)) return [];
  let rows: { s: string }[];
  try {
    rows = db().query("SELECT totp_secret AS s FROM users WHERE totp_secret IS NOT NULL").all() as { s: string }[];
  } catch {
    return []; // the database check reports an unreadable database
  }
  if (rows.length === 0) return [ok("totp at rest", "no two-factor secrets stored")];
  const dir = secretsDir(dataDir);
  const file = join(dir, "totp-key");
  const current = existsSync(file) ? keyId(readFileSync(file, "utf8").trim()) : null;
  const retired = existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith("totp-key.retired-")).map((n) => n.slice("totp-key.retired-".length)) : [];
  const kidOf = createTotpBox("x".repeat(43)).kidOf;
  let plain = 0;
  let old = 0;
  let unknown = 0;
  for (const r of rows) {
    const kid = kidOf(r.s);
    if (kid === null) plain++;
    else if (kid === current) continue;
    else if (retired.includes(kid)) old++;
    else unknown++;
  }
  if (unknown) return [fail("totp at rest", `${unknown} two-factor secret(s) are encrypted with a key that is not in ${dir}: the server will refuse to start; restore ${file} from the backup of this database`)];
  if (plain || old) return [warn("totp at rest", `${plain} stored in plaintext (from an older Hearth), ${old} under a retired key: the next start encrypts them with ${file}`)];
  return [ok("totp at rest", `${rows.length} two-factor secret(s), all encrypted with the current totp-key`)];
};
