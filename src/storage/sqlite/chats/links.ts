// Invite links of groups and channels on SQLite. A code is usable while the link is not
// revoked, not expired and below its max uses; joining counts a use and adds the member
// in the same transaction, so the last use cannot be spent twice.
import type { Database } from "bun:sqlite";
import { AppError } from "../../../errors.ts";
import { limits } from "../../../limits.ts";
import type { AccessCheck, InviteLink, InviteLinkStore, LinkChanged, LinkJoined, NewInviteLink } from "../../chats-port.ts";
import { commit, type Ctx } from "../tx.ts";
import { addMembersOp } from "./membership.ts";
import { chatRow, guard, membership } from "./queries.ts";
import { toChat } from "./rows.ts";

interface LinkRow {
  id: string;
  chat_id: string;
  created_by: string;
  created_at: number;
  expires_at: number | null;
  max_uses: number | null;
  uses: number;
  revoked_at: number | null;
}

const COLS = "id, chat_id, created_by, created_at, expires_at, max_uses, uses, revoked_at";
const toLink = (r: LinkRow): InviteLink => ({
  id: r.id,
  chatId: r.chat_id,
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  maxUses: r.max_uses,
  uses: r.uses,
  revokedAt: r.revoked_at,
});

const usable = (l: InviteLink, now: number) =>
  l.revokedAt === null && (l.expiresAt === null || l.expiresAt > now) && (l.maxUses === null || l.uses < l.maxUses);

const adminIds = (db: Database, chatId: string) =>
  (db.query("SELECT user_id FROM chat_members WHERE chat_id = ? AND role IN ('owner', 'admin')").values(chatId) as [string][]).map((r) => r[0]);

const linkRow = (db: Database, where: string, arg: string) => db.query(`SELECT ${COLS} FROM chat_invite_links WHERE ${where} = ?`).get(arg) as LinkRow | null;

function createOp(db: Database, l: NewInviteLink, check: AccessCheck): LinkChanged {
  guard(db, l.chatId, l.createdBy, check);
  const { n } = db.query("SELECT count(*) AS n FROM chat_invite_links WHERE chat_id = ? AND revoked_at IS NULL").get(l.chatId) as { n: number };
  if (n >= limits.chatInviteLinksPerChatMax) {
    throw new AppError("limit_exceeded", "Too many invite links; revoke some", { limit: "chatInviteLinksPerChatMax", max: limits.chatInviteLinksPerChatMax });
  }
  db.query(`INSERT INTO chat_invite_links (id, chat_id, code_hash, created_by, created_at, expires_at, max_uses) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
    l.id, l.chatId, l.codeHash, l.createdBy, l.createdAt, l.expiresAt, l.maxUses,
  );
  return { link: toLink(linkRow(db, "id", l.id)!), changed: true, adminIds: adminIds(db, l.chatId) };
}

/** A replayed create: the link as it is now (revoked, used), and nothing changed. */
function currentLink(db: Database, first: LinkChanged): LinkChanged {
  const row = linkRow(db, "id", first.link.id);
  return row ? { link: toLink(row), changed: false, adminIds: adminIds(db, row.chat_id) } : first;
}

function revokeOp(db: Database, chatId: string, linkId: string, actorId: string, check: AccessCheck, now: number): LinkChanged {
  guard(db, chatId, actorId, check);
  const row = linkRow(db, "id", linkId);
  if (!row || row.chat_id !== chatId) throw new AppError("not_found", "Invite link not found");
  const changed = row.revoked_at === null;
  if (changed) db.query("UPDATE chat_invite_links SET revoked_at = ? WHERE id = ?").run(now, linkId);
  return { link: toLink(linkRow(db, "id", linkId)!), changed, adminIds: adminIds(db, chatId) };
}

const invalid = () => new AppError("invalid_invite", "This invite link is not valid");

function joinOp(db: Database, codeHash: string, userId: string, now: number, check: AccessCheck, membersMax?: number): LinkJoined {
  const row = linkRow(db, "code_hash", codeHash);
  const chat = row ? chatRow(db, row.chat_id) : null;
  if (!row || !chat) throw invalid();
  // A member opening any link of their chat just lands in it: nothing to count or tell.
  if (membership(db, row.chat_id, userId)) return { chat: toChat(chat), members: [], memberIds: [], lastMessage: null, joined: false };
  if (!usable(toLink(row), now)) throw invalid();
  // The link acts for its creator: it admits people only while they may still manage links.
  check(toChat(chat), membership(db, row.chat_id, row.created_by));
  // The joiner asks to join: their own choice, so no add check (the link's creator adds nobody).
  const change = addMembersOp(db, row.chat_id, row.created_by, [userId], () => {}, () => {}, now, membersMax);
  db.query("UPDATE chat_invite_links SET uses = uses + 1 WHERE id = ?").run(row.id);
  return { ...change, joined: true };
}

export function inviteLinkStore(ctx: Ctx): InviteLinkStore {
  const { db } = ctx;
  return {
    createLink: (input, check, opts) => commit(ctx, opts, (tx) => createOp(tx, input, check), currentLink),
    async links(chatId) {
      const rows = db.query(`SELECT ${COLS} FROM chat_invite_links WHERE chat_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, id DESC`).all(chatId) as LinkRow[];
      return rows.map(toLink);
    },
    revokeLink: (chatId, linkId, actorId, check, now, opts) => commit(ctx, opts, (tx) => revokeOp(tx, chatId, linkId, actorId, check, now)),
    async linkByCode(codeHash, now) {
      const row = linkRow(db, "code_hash", codeHash);
      const chat = row ? chatRow(db, row.chat_id) : null;
      return row && chat && usable(toLink(row), now) ? { link: toLink(row), chat: toChat(chat) } : null;
    },
    joinByLink: (codeHash, userId, now, check, opts) => commit(ctx, opts, (tx) => joinOp(tx, codeHash, userId, now, check, opts?.membersMax)),
  };
}
