// Row shapes of the chat tables as SQLite returns them, and their mapping to the port.
import type { Chat, ChatKind, Entity, Member, MemberRole, Membership, Message } from "../../chats-port.ts";
import type { LinkPreview } from "../../previews-port.ts";
import type { StoredAttachment } from "../../media-port.ts";
import type { Avatar } from "../../port.ts";

export interface ChatRow {
  id: string;
  kind: ChatKind;
  title: string;
  description: string;
  created_by: string;
  created_at: number;
  pair_key: string | null;
  space_id: string | null;
  member_count: number;
  last_seq: number;
  last_at: number;
  avatar: string | null;
  auto_delete_days: number | null;
  disappear_seconds: number | null;
}

export const CHAT_COLS =
  "id, kind, title, description, created_by, created_at, pair_key, space_id, member_count, last_seq, last_at, avatar, auto_delete_days, disappear_seconds";

export const toChat = (r: ChatRow): Chat => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  description: r.description,
  createdBy: r.created_by,
  createdAt: r.created_at,
  memberCount: r.member_count,
  lastSeq: r.last_seq,
  lastAt: r.last_at,
  spaceId: r.space_id,
  ...(r.avatar ? { avatar: JSON.parse(r.avatar) as Avatar } : {}),
  ...(r.auto_delete_days !== null ? { autoDeleteDays: r.auto_delete_days } : {}),
  ...(r.disappear_seconds !== null ? { disappearSeconds: r.disappear_seconds } : {}),
});

/** The other person of a direct chat (yourself in saved), from its pair key. */
export function peerOf(r: { pair_key: string | null }, userId: string): string | null {
  if (!r.pair_key) return null;
  const [a, b] = r.pair_key.split(":") as [string, string];
  return a === userId ? b : a;
}

export const pairKey = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);

export interface MemberRow {
  chat_id: string;
  user_id: string;
  role: MemberRole;
  joined_at: number;
  read_seq: number;
  muted: number;
  archived: number;
  pinned_at: number | null;
  notify_level: "all" | "mentions" | "none";
  mute_until: number | null;
}

export const MEMBER_COLS = "chat_id, user_id, role, joined_at, read_seq, muted, archived, pinned_at, notify_level, mute_until";
/** The stored value of "muted until unmuted" (the wire's MUTE_FOREVER). */
export const MUTE_FOREVER = 2 ** 53 - 1;

export const toMembership = (r: MemberRow): Membership => ({
  chatId: r.chat_id,
  userId: r.user_id,
  role: r.role,
  joinedAt: r.joined_at,
  readSeq: r.read_seq,
  muted: r.muted === 1,
  archived: r.archived === 1,
  pinnedAt: r.pinned_at,
  notifyLevel: r.notify_level,
  muteUntil: r.muted === 1 ? MUTE_FOREVER : r.mute_until,
});

export const toMember = (r: Pick<MemberRow, "user_id" | "role" | "joined_at">): Member => ({
  userId: r.user_id,
  role: r.role,
  joinedAt: r.joined_at,
});

export interface MessageRow {
  id: string;
  chat_id: string;
  seq: number;
  sender_id: string;
  client_id: string | null;
  text: string;
  entities: string;
  reply_to_id: string | null;
  fwd_chat_id: string | null;
  fwd_message_id: string | null;
  fwd_sender_id: string | null;
  fwd_at: number | null;
  silent: number;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
  preview: string | null; // JSON LinkPreview from message_previews
  attachments: string | null;
  expires_at: number | null;
  deleted_by: string | null;
  import_source: "telegram" | "whatsapp" | "discord" | null;
  import_author: string | null;
  import_mapped: number;
  import_missing: number;
}

export const MESSAGE_COLS =
  "id, chat_id, seq, sender_id, client_id, text, entities, reply_to_id, fwd_chat_id, fwd_message_id, fwd_sender_id, fwd_at, silent, created_at, edited_at, deleted_at, attachments, expires_at, deleted_by, import_source, import_author, import_mapped, import_missing";

/** MESSAGE_COLS qualified with a table alias, for joins, plus the message's link preview. */
export const messageCols = (alias: string) => qualified.get(alias) ?? qualify(alias);

// Built once per alias (a handful): the send path asks for it on every message.
const qualified = new Map<string, string>();
function qualify(alias: string): string {
  const cols = `${MESSAGE_COLS.split(", ")
    .map((c) => `${alias}.${c}`)
    .join(", ")}, (SELECT mp.preview FROM message_previews mp WHERE mp.message_id = ${alias}.id) AS preview`;
  qualified.set(alias, cols);
  return cols;
}

export const toMessage = (r: MessageRow): Message => ({
  id: r.id,
  chatId: r.chat_id,
  seq: r.seq,
  senderId: r.sender_id,
  clientId: r.client_id,
  text: r.text,
  entities: JSON.parse(r.entities) as Entity[],
  replyToId: r.reply_to_id,
  forward:
    r.fwd_chat_id && r.fwd_message_id && r.fwd_sender_id && r.fwd_at !== null
      ? { chatId: r.fwd_chat_id, messageId: r.fwd_message_id, senderId: r.fwd_sender_id, at: r.fwd_at }
      : null,
  silent: r.silent === 1,
  createdAt: r.created_at,
  editedAt: r.edited_at,
  deletedAt: r.deleted_at,
  ...(r.preview ? { preview: JSON.parse(r.preview) as LinkPreview } : {}),
  ...(r.attachments ? { attachments: JSON.parse(r.attachments) as StoredAttachment[] } : {}),
  ...(r.expires_at !== null ? { expiresAt: r.expires_at } : {}),
  // only the retention sweeper deletes with nobody as the actor
  ...(r.deleted_at !== null && r.deleted_by === null ? { expired: true as const } : {}),
  ...(r.import_source && r.import_author !== null
    ? { imported: { source: r.import_source, author: r.import_author, mapped: r.import_mapped === 1, missingFiles: r.import_missing } }
    : {}),
});
