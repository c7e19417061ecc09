import type { Database } from "bun:sqlite";
import type { NewUser, Role, TotpSetting, User, UserCredentials, UserStore, WriteOpts } from "../port.ts";
import { storeConflict, storeNotFound, usernameKey, usernameTaken } from "../errors.ts";
import { USER_COLS, toCredentials, toUser, type UserRow } from "./rows.ts";
import { revokeSessions } from "./sessions.ts";
import { commit, type Ctx } from "./tx.ts";

/** Runs inside a writer op; shared by create, claimOwner and registerWithInvite. */
export function insertUser(db: Database, u: NewUser): User {
  const key = usernameKey(u.username);
  if (db.query("SELECT 1 FROM users WHERE username_key = ?").get(key)) throw usernameTaken();
  if (db.query("SELECT 1 FROM users WHERE id = ?").get(u.id)) throw storeConflict("user id");
  db.query(
    "INSERT INTO users (id, username, username_key, display_name, bio, role, disabled, password_hash, totp_secret, created_at) VALUES (?, ?, ?, ?, '', ?, 0, ?, NULL, ?)",
  ).run(u.id, u.username, key, u.displayName, u.role, u.passwordHash, u.createdAt);
  return userById(db, u.id)!;
}

function userById(db: Database, id: string): User | null {
  const r = db.query(`SELECT ${USER_COLS} FROM users WHERE id = ?`).get(id) as UserRow | null;
  return r ? toUser(r) : null;
}

function mustUser(db: Database, id: string): User {
  const u = userById(db, id);
  if (!u) throw storeNotFound("User");
  return u;
}

// Prefix match on the username or the display name or any word of it; '' matches all.
const NAME_MATCH = "(username_key LIKE ?3 ESCAPE '\\' OR lower(display_name) LIKE ?3 ESCAPE '\\' OR lower(display_name) LIKE '% ' || ?3 ESCAPE '\\')";

const U_COLS = USER_COLS.split(", ").map((c) => `u.${c}`).join(", ");

/** `query%` for LIKE, with LIKE's own wildcards in the query taken literally. */
const likePrefix = (query: string) => `${query.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function userStore(ctx: Ctx): UserStore {
  const { db, writer } = ctx;
  const byId = db.query(`SELECT ${USER_COLS} FROM users WHERE id = ?`);
  const byKey = db.query(`SELECT ${USER_COLS} FROM users WHERE username_key = ?`);
  const box = ctx.totpBox;
  const creds = (r: unknown): UserCredentials | null => {
    if (!r) return null;
    const c = toCredentials(r as UserRow);
    return box && c.totpSecret !== null ? { ...c, totpSecret: box.open(c.id, c.totpSecret) } : c;
  };
  const sealed = (id: string, secret: string | undefined) => (secret === undefined ? null : box ? box.seal(id, secret) : secret);
  return {
    create: (user, opts) => commit(ctx, opts, (tx) => insertUser(tx, user)),
    byId: async (id) => {
      const r = byId.get(id) as UserRow | null;
      return r ? toUser(r) : null;
    },
    credentialsByUsername: async (username) => creds(byKey.get(usernameKey(username))),
    credentialsById: async (id) => creds(byId.get(id)),
    list: async ({ afterUsername, limit, query }) => {
      const q = likePrefix(query ?? "");
      const rows = db
        .query(`SELECT ${USER_COLS} FROM users WHERE username_key > ?1 AND deleted_at IS NULL AND ${NAME_MATCH} ORDER BY username_key LIMIT ?2`)
        .all(afterUsername === undefined ? "" : usernameKey(afterUsername), limit, q) as UserRow[];
      return rows.map(toUser);
    },
    search: async ({ viewerId, query, directory, limit }) => {
      const q = likePrefix(query);
      const rows = db
        .query(
          `SELECT ${U_COLS}, EXISTS (
             SELECT 1 FROM chat_members mine JOIN chat_members theirs ON theirs.chat_id = mine.chat_id
             JOIN chats c ON c.id = mine.chat_id AND c.kind IN ('direct', 'group')
             WHERE mine.user_id = ?1 AND theirs.user_id = u.id) AS shared
           FROM users u
           WHERE u.disabled = 0 AND u.id <> ?1
             AND (u.username_key LIKE ?2 ESCAPE '\\' OR lower(u.display_name) LIKE ?2 ESCAPE '\\' OR lower(u.display_name) LIKE '% ' || ?2 ESCAPE '\\')
             AND (?3 OR shared)
           ORDER BY shared DESC, u.username_key LIMIT ?4`,
        )
        .all(viewerId, q, directory ? 1 : 0, limit) as UserRow[];
      return rows.map(toUser);
    },
    count: async () => (db.query("SELECT count(*) AS n FROM users").get() as { n: number }).n,
    ownerExists: async () => db.query("SELECT 1 FROM users WHERE role = 'owner' LIMIT 1").get() !== null,
    updateProfile: (id, patch, opts) =>
      commit(ctx, opts, (tx) => {
        mustUser(tx, id);
        tx.query("UPDATE users SET display_name = coalesce(?, display_name), bio = coalesce(?, bio) WHERE id = ?").run(
          patch.displayName ?? null,
          patch.bio ?? null,
          id,
        );
        return mustUser(tx, id);
      }),
    setRole: (id, role, opts) =>
      commit(ctx, opts, (tx) => {
        mustUser(tx, id);
        tx.query("UPDATE users SET role = ? WHERE id = ?").run(role, id);
        return mustUser(tx, id);
      }),
    setDisabled: (id, disabled) =>
      writer.run((tx) => {
        mustUser(tx, id);
        tx.query("UPDATE users SET disabled = ? WHERE id = ?").run(disabled ? 1 : 0, id);
        const revokedSessionIds = disabled ? revokeSessions(tx, id, null, ctx.now()) : [];
        return { user: mustUser(tx, id), revokedSessionIds };
      }),
    setPassword: (id, passwordHash, keepSessionId, opts) =>
      commit(ctx, opts, (tx) => {
        mustUser(tx, id);
        tx.query("UPDATE users SET password_hash = ? WHERE id = ?").run(passwordHash, id);
        return revokeSessions(tx, id, keepSessionId, ctx.now());
      }),
    setTotp: (id, totp, opts) =>
      commit(ctx, opts, (tx) => {
        mustUser(tx, id);
        tx.query("UPDATE users SET totp_secret = ?, totp_last_step = ? WHERE id = ?").run(sealed(id, totp?.secret), totp?.usedStep ?? -1, id);
        tx.query("DELETE FROM recovery_codes WHERE user_id = ?").run(id);
        const add = tx.query("INSERT OR IGNORE INTO recovery_codes (user_id, code_hash, used_at) VALUES (?, ?, NULL)");
        for (const h of totp?.recoveryCodeHashes ?? []) add.run(id, h);
      }),
    useTotpStep: (id, step) =>
      writer.run((tx) => tx.query("UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?").run(step, id, step).changes === 1),
    consumeRecoveryCode: (id, codeHash, now) =>
      writer.run(
        (tx) =>
          tx.query("UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL").run(now, id, codeHash)
            .changes === 1,
      ),
  };
}
