// TOTP secrets are sealed in the users table (src/secrets/totp-box.ts): sealed on write,
// opened on read, and at open every row not sealed with the current key — a plaintext
// secret from an older Hearth, or one sealed with a key `hearth secrets rotate totp-key`
// retired — is re-sealed in one transaction, so none is lost and none stays readable.
import type { Database } from "bun:sqlite";
import type { Logger } from "../../log/port.ts";
import type { TotpBox } from "../../secrets/totp-box.ts";

export function resealTotpSecrets(db: Database, box: TotpBox, log?: Logger): number {
  const rows = db.query("SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL").all() as { id: string; totp_secret: string }[];
  const stale = rows.filter((r) => box.kidOf(r.totp_secret) !== box.currentKid);
  if (stale.length === 0) return 0;
  const plain = stale.filter((r) => box.kidOf(r.totp_secret) === null).length;
  // open() throws for an unknown key before anything is written: all rows or none.
  const sealed = stale.map((r) => ({ id: r.id, value: box.seal(r.id, box.open(r.id, r.totp_secret)) }));
  const update = db.query("UPDATE users SET totp_secret = ? WHERE id = ? AND totp_secret = ?");
  db.transaction(() => {
    for (const [i, r] of sealed.entries()) update.run(r.value, r.id, stale[i]!.totp_secret);
  })();
  log?.info("two-factor secrets encrypted at rest", { plaintext: plain, rotated: stale.length - plain, keyId: box.currentKid });
  return stale.length;
}
