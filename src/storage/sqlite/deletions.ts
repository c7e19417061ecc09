// Account deletion (../deletions-port.ts). The purge runs as ONE writer op per account:
// the person's rows go, their remaining messages keep pointing at their id, whose users
// row becomes a "Deleted account" (no username, name, picture, password or dates).
// Blob files are not touched here: the caller removes the orphans under the blob lock.
import type { Database } from "bun:sqlite";
import type { DeletionStore, PurgeReport } from "../deletions-port.ts";
import { storeNotFound } from "../errors.ts";
import type { ChatLogDraft, EventDraft, User } from "../port.ts";
import { CHAT_COLS, type ChatRow, toChat, toMember } from "./chats/rows.ts";
import { REFERENCED } from "./media/stats.ts";
import { USER_COLS, toUser, type UserRow } from "./rows.ts";
import { appendChatLog } from "./chat-log.ts";
import { appendEvents } from "./events.ts";
import { revokeSessions } from "./sessions.ts";
import type { Ctx } from "./tx.ts";

export const DELETED_NAME = "Deleted account";

function liveUser(db: Database, id: string): User {
  const r = db.query(`SELECT ${USER_COLS} FROM users WHERE id = ? AND deleted_at IS NULL`).get(id) as UserRow | null;
  if (!r) throw storeNotFound("User");
  return toUser(r);
}

interface MyChat {
  id: string;
  kind: string;
  role: string;
}

/** Leaves every chat: ownership passes on (admins first, then the longest-standing member); a chat left empty, and their saved messages, go. */
function leaveChats(db: Database, userId: string, report: PurgeReport, media: Set<string>): void {
  const mine = db.query("SELECT c.id, c.kind, m.role FROM chat_members m JOIN chats c ON c.id = m.chat_id WHERE m.user_id = ?").all(userId) as MyChat[];
  const others = db.query(
    "SELECT user_id, role, joined_at FROM chat_members WHERE chat_id = ? AND user_id <> ? ORDER BY (role = 'owner') DESC, (role = 'admin') DESC, joined_at, user_id",
  );
  for (const c of mine) {
    const rest = others.all(c.id, userId) as { user_id: string; role: "owner" | "admin" | "member"; joined_at: number }[];
    if (c.kind === "saved" || rest.length === 0) {
      collectChatMedia(db, c.id, media);
      db.query("DELETE FROM chats WHERE id = ?").run(c.id);
      report.removedChatIds.push(c.id);
      continue;
    }
    db.query("DELETE FROM chat_members WHERE chat_id = ? AND user_id = ?").run(c.id, userId);
    db.query("UPDATE chats SET member_count = member_count - 1 WHERE id = ?").run(c.id);
    const memberIds = rest.map((r) => r.user_id);
    for (const id of memberIds) if (!report.contactIds.includes(id)) report.contactIds.push(id);
    const heir = rest[0]!;
    if (c.role === "owner" && c.kind !== "direct" && heir.role !== "owner") {
      db.query("UPDATE chat_members SET role = 'owner' WHERE chat_id = ? AND user_id = ?").run(c.id, heir.user_id);
      report.newOwners.push({ chatId: c.id, member: toMember({ ...heir, role: "owner" }), memberIds });
    }
    const chat = toChat(db.query(`SELECT ${CHAT_COLS} FROM chats WHERE id = ?`).get(c.id) as ChatRow);
    if (c.kind !== "direct") report.left.push({ chat, memberIds });
  }
}

function collectChatMedia(db: Database, chatId: string, media: Set<string>): void {
  const ids = db.query("SELECT DISTINCT media_id FROM message_media WHERE chat_id = ?").values(chatId) as [string][];
  for (const [id] of ids) media.add(id);
  db.query("DELETE FROM message_media WHERE chat_id = ?").run(chatId);
}

/** Their messages stay, without their files: a message that was only files becomes a deleted one. */
function stripMessages(db: Database, userId: string, now: number, media: Set<string>): void {
  db.query("UPDATE messages SET deleted_at = ?, deleted_by = sender_id WHERE sender_id = ? AND deleted_at IS NULL AND text = '' AND attachments IS NOT NULL").run(now, userId);
  const ids = db.query("SELECT DISTINCT mm.media_id FROM message_media mm JOIN messages m ON m.id = mm.message_id WHERE m.sender_id = ?").values(userId) as [string][];
  for (const [id] of ids) media.add(id);
  db.query("DELETE FROM message_media WHERE message_id IN (SELECT id FROM messages WHERE sender_id = ?)").run(userId);
  db.query("UPDATE messages SET attachments = NULL WHERE sender_id = ? AND attachments IS NOT NULL").run(userId);
}

/** Their media nothing else refers to goes (variants too); media another person's message still carries stays, with no owner. */
function dropMedia(db: Database, userId: string, report: PurgeReport, media: Set<string>): void {
  const owned = db.query("SELECT id FROM media WHERE owner_id = ?").values(userId) as [string][];
  for (const [id] of owned) media.add(id);
  const referenced = db.query(`SELECT 1 FROM media md WHERE md.id = ? AND (${REFERENCED})`);
  const blobs = db.query("SELECT blob_sha256 FROM media WHERE id = ?1 UNION SELECT blob_sha256 FROM media_variants WHERE media_id = ?1");
  for (const id of media) {
    if (referenced.get(id)) continue;
    for (const [sha] of blobs.values(id) as [string][]) if (!report.blobCandidates.includes(sha)) report.blobCandidates.push(sha);
    db.query("DELETE FROM media_variants WHERE media_id = ?").run(id);
    db.query("DELETE FROM media WHERE id = ?").run(id);
  }
  db.query("UPDATE media SET owner_id = NULL WHERE owner_id = ?").run(userId);
  report.uploadIds = (db.query("SELECT id FROM media_uploads WHERE user_id = ?").values(userId) as [string][]).map((r) => r[0]);
  db.query("DELETE FROM media_uploads WHERE user_id = ?").run(userId);
}

// Rows that are the person's alone. Sessions take their refresh tokens and push subscriptions along (foreign keys).
const OWN_ROWS = [
  "DELETE FROM sessions WHERE user_id = ?1",
  "DELETE FROM recovery_codes WHERE user_id = ?1",
  "DELETE FROM password_resets WHERE user_id = ?1",
  "DELETE FROM invites WHERE created_by = ?1",
  "DELETE FROM chat_drafts WHERE user_id = ?1",
  "DELETE FROM message_reactions WHERE user_id = ?1",
  "DELETE FROM message_hidden WHERE user_id = ?1",
  "DELETE FROM message_mentions WHERE user_id = ?1",
  "DELETE FROM user_blocks WHERE user_id = ?1 OR blocked_id = ?1",
  "DELETE FROM user_presence WHERE user_id = ?1",
  "DELETE FROM notify_settings WHERE user_id = ?1",
  "DELETE FROM push_subscriptions WHERE user_id = ?1",
  "DELETE FROM events WHERE user_id = ?1",
  "DELETE FROM event_queues WHERE user_id = ?1",
  "DELETE FROM idempotency WHERE user_id = ?1",
];

/**
 * Other people's queued events and the chats' logs still carry the profile as it was
 * (user.updated, member lists, chat.updated); the name fields are rewritten in place, so
 * no queue and no chat log gets a hole. The audit log
 * keeps its entries, naming the account by id instead of by username.
 */
function forgetNames(db: Database, user: User): void {
  const pairs: [string, string][] = [[JSON.stringify({ username: user.username }).slice(1, -1), '"username":""']];
  pairs.push([JSON.stringify({ displayName: user.displayName }).slice(1, -1), JSON.stringify({ displayName: DELETED_NAME }).slice(1, -1)]);
  if (user.bio) pairs.push([JSON.stringify({ bio: user.bio }).slice(1, -1), '"bio":""']);
  if (user.avatar) pairs.push([JSON.stringify({ avatar: user.avatar }).slice(1, -1), '"avatar":null']);
  for (const table of ["events", "chat_log"]) {
    const rewrite = db.query(`UPDATE ${table} SET data = replace(data, ?1, ?2) WHERE instr(data, ?1) > 0`);
    for (const [from, to] of pairs) rewrite.run(from, to);
  }
  db.query("UPDATE admin_audit SET target = ?2 WHERE target = ?1").run(user.username, `deleted account ${user.id}`);
  db.query("UPDATE admin_audit SET actor_name = 'deleted account' WHERE actor_id = ?").run(user.id);
}

const HUSK = `UPDATE users SET username = '', username_key = '#deleted:' || id, display_name = ?2, bio = '', role = 'member',
  disabled = 1, password_hash = '', totp_secret = NULL, totp_last_step = -1, created_at = 0, avatar = NULL,
  deletion_at = NULL, deletion_by = NULL, deleted_at = ?3 WHERE id = ?1`;

function purgeOp(db: Database, userId: string, now: number): PurgeReport | null {
  // Re-checked here, in the purge's own transaction: a cancel that committed after the sweeper listed the account wins.
  const r = db.query(`SELECT ${USER_COLS} FROM users WHERE id = ? AND deleted_at IS NULL AND deletion_at <= ?`).get(userId, now) as UserRow | null;
  if (!r) return null;
  const before = toUser(r);
  const report: PurgeReport = { user: before, left: [], newOwners: [], removedChatIds: [], blobCandidates: [], uploadIds: [], contactIds: [] };
  const media = new Set<string>(); // media that may have lost their last reference
  leaveChats(db, userId, report, media);
  stripMessages(db, userId, now, media);
  db.query("UPDATE users SET avatar = NULL WHERE id = ?").run(userId); // before dropMedia: the picture is no longer a reference
  dropMedia(db, userId, report, media);
  for (const sql of OWN_ROWS) db.query(sql).run(userId);
  forgetNames(db, before);
  db.query(HUSK).run(userId, DELETED_NAME, now);
  report.user = toUser(db.query(`SELECT ${USER_COLS} FROM users WHERE id = ?`).get(userId) as UserRow);
  return report;
}

const OTHER_ADMIN = `SELECT 1 FROM users WHERE id <> ? AND role IN ('owner', 'admin') AND disabled = 0
  AND deleted_at IS NULL AND deletion_at IS NULL LIMIT 1`;

export function deletionStore(ctx: Ctx): DeletionStore {
  const { db, writer } = ctx;
  return {
    schedule: (userId, p) =>
      writer.run((tx) => {
        liveUser(tx, userId);
        tx.query("UPDATE users SET deletion_at = ?, deletion_by = ? WHERE id = ?").run(p.at, p.by, userId);
        const revokedSessionIds = revokeSessions(tx, userId, null, ctx.now());
        return { user: liveUser(tx, userId), revokedSessionIds };
      }),
    cancel: (userId) =>
      writer.run((tx) => {
        liveUser(tx, userId);
        tx.query("UPDATE users SET deletion_at = NULL, deletion_by = NULL WHERE id = ?").run(userId);
        return liveUser(tx, userId);
      }),
    due: async (now, limit) =>
      (db.query("SELECT id FROM users WHERE deletion_at IS NOT NULL AND deletion_at <= ? AND deleted_at IS NULL ORDER BY deletion_at, id LIMIT ?").values(now, limit) as [string][]).map(
        (r) => r[0],
      ),
    otherAdminExists: async (userId) => db.query(OTHER_ADMIN).get(userId) !== null,
    purge: (userId, now, emit) =>
      writer.run((tx) => {
        const report = purgeOp(tx, userId, now);
        if (!report) return null;
        const drafts = emit(report);
        const chatEvents = appendChatLog(tx, drafts.filter((d): d is ChatLogDraft => "chat" in d), now);
        return { ...report, chatEvents, events: appendEvents(tx, drafts.filter((d): d is EventDraft => "to" in d), now) };
      }),
  };
}
