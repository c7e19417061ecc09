import type { Database } from "bun:sqlite";
import type { AccountStore, RegistrationMode } from "../port.ts";
import { claimInvalid, invalidInvite, resetInvalid, storeConflict } from "../errors.ts";
import { INVITE_COLS, toInvite, toUser, type InviteRow, type UserRow, USER_COLS } from "./rows.ts";
import { revokeSessions } from "./sessions.ts";
import { commit, type Ctx } from "./tx.ts";
import { insertUser } from "./users.ts";

const MODE_KEY = "registration_mode";
// The same conditions as the gates in claimOwner and registerWithInvite, read-only.
const CLAIM_USABLE = "token_hash = ? AND used_at IS NULL AND expires_at > ? AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'owner')";
const INVITE_USABLE = "code_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) AND (max_uses IS NULL OR uses < max_uses)";
const DIRECTORY_KEY = "directory_enabled";

function inviteById(db: Database, id: string) {
  return toInvite(db.query(`SELECT ${INVITE_COLS} FROM invites WHERE id = ?`).get(id) as InviteRow);
}

export function accountStore(ctx: Ctx): AccountStore {
  const { db, writer } = ctx;
  return {
    createOwnerClaim: (tokenHash, expiresAt) =>
      writer.run((tx) => {
        tx.query("DELETE FROM owner_claims WHERE used_at IS NULL").run();
        tx.query("INSERT INTO owner_claims (token_hash, created_at, expires_at, used_at) VALUES (?, ?, ?, NULL)").run(tokenHash, ctx.now(), expiresAt);
      }),
    claimOwner: (tokenHash, owner, now) =>
      writer.run((tx) => {
        // The conditional UPDATE is the single-use gate (portable to PostgreSQL as-is).
        const burned = tx
          .query(`UPDATE owner_claims SET used_at = ? WHERE ${CLAIM_USABLE}`)
          .run(now, tokenHash, now).changes;
        if (burned !== 1) throw claimInvalid();
        return insertUser(tx, { ...owner, role: "owner" });
      }),
    ownerClaimUsable: async (tokenHash, now) => db.query(`SELECT 1 FROM owner_claims WHERE ${CLAIM_USABLE}`).get(tokenHash, now) !== null,
    createInvite: (inv, opts) =>
      commit(ctx, opts, (tx) => {
        if (tx.query("SELECT 1 FROM invites WHERE id = ? OR code_hash = ?").get(inv.id, inv.codeHash)) throw storeConflict("invite");
        tx.query(
          "INSERT INTO invites (id, code_hash, created_by, created_at, expires_at, max_uses, uses, revoked_at, client_id) VALUES (?, ?, ?, ?, ?, ?, 0, NULL, ?)",
        ).run(inv.id, inv.codeHash, inv.createdBy, inv.createdAt, inv.expiresAt, inv.maxUses, inv.clientId ?? null);
        return inviteById(tx, inv.id);
      }, (tx, first) => inviteById(tx, first.id)),
    liveInviteByCodeHash: async (codeHash, now) => {
      const row = db
        .query(
          `SELECT ${INVITE_COLS.split(", ").map((c) => `i.${c}`).join(", ")}, u.display_name AS creator_display_name FROM invites i JOIN users u ON u.id = i.created_by
           WHERE i.code_hash = ? AND i.revoked_at IS NULL AND (i.expires_at IS NULL OR i.expires_at > ?) AND (i.max_uses IS NULL OR i.uses < i.max_uses)`,
        )
        .get(codeHash, now) as (InviteRow & { creator_display_name: string }) | null;
      return row ? { invite: toInvite(row), creatorDisplayName: row.creator_display_name } : null;
    },
    listInvites: async (createdBy) =>
      (
        db
          .query(`SELECT ${INVITE_COLS} FROM invites WHERE ?1 IS NULL OR created_by = ?1 ORDER BY created_at DESC, id DESC`)
          .all(createdBy) as InviteRow[]
      ).map(toInvite),
    revokeInvite: (id, now) =>
      writer.run((tx) => tx.query("UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(now, id).changes === 1),
    registerWithInvite: (codeHash, user, now) =>
      writer.run((tx) => {
        const used = tx
          .query(`UPDATE invites SET uses = uses + 1 WHERE ${INVITE_USABLE}`)
          .run(codeHash, now).changes;
        if (used !== 1) throw invalidInvite();
        return insertUser(tx, user); // username_taken rolls the use back with the savepoint
      }),
    inviteUsable: async (codeHash, now) => db.query(`SELECT 1 FROM invites WHERE ${INVITE_USABLE}`).get(codeHash, now) !== null,
    createPasswordReset: (r) =>
      writer.run((tx) => {
        tx.query("DELETE FROM password_resets WHERE user_id = ? AND used_at IS NULL").run(r.userId);
        tx.query("INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, NULL)").run(
          r.tokenHash, r.userId, r.createdBy, r.createdAt, r.expiresAt,
        );
      }),
    resetPassword: (tokenHash, passwordHash, now) =>
      writer.run((tx) => {
        const live = tx
          .query("SELECT user_id FROM password_resets r JOIN users u ON u.id = r.user_id WHERE r.token_hash = ? AND r.used_at IS NULL AND r.expires_at > ? AND u.disabled = 0")
          .get(tokenHash, now) as { user_id: string } | null;
        if (!live) throw resetInvalid();
        tx.query("UPDATE password_resets SET used_at = ? WHERE token_hash = ?").run(now, tokenHash);
        tx.query("UPDATE users SET password_hash = ? WHERE id = ?").run(passwordHash, live.user_id);
        const revokedSessionIds = revokeSessions(tx, live.user_id, null, now);
        const user = toUser(tx.query(`SELECT ${USER_COLS} FROM users WHERE id = ?`).get(live.user_id) as UserRow);
        return { user, revokedSessionIds };
      }),
    passwordResetUser: async (tokenHash, now) => {
      const row = db
        .query(`SELECT ${USER_COLS.split(", ").map((c) => `u.${c}`).join(", ")} FROM password_resets r JOIN users u ON u.id = r.user_id WHERE r.token_hash = ? AND r.used_at IS NULL AND r.expires_at > ? AND u.disabled = 0`)
        .get(tokenHash, now) as UserRow | null;
      return row ? toUser(row) : null;
    },
    getDirectoryEnabled: async () => {
      const r = db.query("SELECT value FROM settings WHERE key = ?").get(DIRECTORY_KEY) as { value: string } | null;
      return r ? (JSON.parse(r.value) as boolean) : null;
    },
    setDirectoryEnabled: (enabled) =>
      writer.run((tx) => {
        tx.query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(DIRECTORY_KEY, JSON.stringify(enabled));
      }),
    getRegistrationMode: async () => {
      const r = db.query("SELECT value FROM settings WHERE key = ?").get(MODE_KEY) as { value: string } | null;
      return r ? (JSON.parse(r.value) as RegistrationMode) : null;
    },
    setRegistrationMode: (mode) =>
      writer.run((tx) => {
        tx.query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(MODE_KEY, JSON.stringify(mode));
      }),
  };
}
