// Events of chats and messages: type → TypeBox schema of `data`. Each lives in one of two
// logs (issue #13). "In the chat's log": stored ONCE per change, numbered by the chat's
// pos, the same bytes for every member (`chat_events` frames, chat.difference) — so it
// carries nothing member-specific. "To you": your own user log (`events` frames). You
// follow a chat's log from a chat.joined / chat.created entry's pos (or a snapshot
// entry's pos) until chat.left; a removed member gets the removal, then nothing more.
// Applying them to `welcome.snapshot.chats` gives what a fresh snapshot would show
// (unread counts: a message.created not sent by you and after your readSeq adds one;
// read.updated carries your exact counts).
import { type Static, Type } from "@sinclair/typebox";
import { ChatEntrySchema, ChatPosSchema, ChatSchema, DraftSchema, MemberSchema, MessageSchema, MySettingsSchema, SeqSchema } from "../methods/chats.ts";
import { InviteLinkSchema } from "../methods/invite-links.ts";
import { PinSchema } from "../methods/reactions.ts";

export const chatEvents = {
  /** You created a chat (from another device, or this answer missed); to you. entry.pos: where its log starts for you. */
  "chat.created": Type.Object({ entry: ChatEntrySchema }),
  /**
   * You are in a chat now: added at its creation or later, joined by an invite link, the
   * peer of a new direct chat; to you (again after a re-add). pos is the chat's log pos
   * right after the join; entry is the state at pos (entry.pos == pos): follow from pos + 1.
   */
  "chat.joined": Type.Object({ entry: ChatEntrySchema, pos: ChatPosSchema }),
  /** You left or were removed at pos (the chat log's chat.member_removed there); to you. Drop the chat. */
  "chat.left": Type.Object({ chatId: Type.String(), pos: ChatPosSchema }),
  /** Title, description, avatar (or later other chat-wide fields) changed; in the chat's log. */
  "chat.updated": Type.Object({ chat: ChatSchema }),
  /**
   * Someone changed the chat's retention (chat.set_retention); in the chat's log, shown in
   * the chat as "Ada set messages to disappear after 1 day". `chat` is the chat after the
   * change; a field present is what changed (null: turned off).
   */
  "chat.retention_changed": Type.Object({
    chat: ChatSchema,
    by: Type.String(),
    autoDeleteDays: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    disappearSeconds: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  }),
  /**
   * In the chat's log. The added users themselves get chat.joined (their entry) in their
   * own log; `entry` is no longer sent (kept optional for protocol-1 era data).
   */
  "chat.member_added": Type.Object({ chat: ChatSchema, members: Type.Array(MemberSchema), entry: Type.Optional(ChatEntrySchema) }),
  /** In the chat's log: the last event the removed see of it (they also get chat.left at this pos). */
  "chat.member_removed": Type.Object({ chat: ChatSchema, userIds: Type.Array(Type.String()) }),
  /** Role change: in the chat's log, without `me`. Your own flags (mute/archive/pin): to you only, with `me`. */
  "chat.member_updated": Type.Object({ chatId: Type.String(), member: MemberSchema, me: Type.Optional(MySettingsSchema) }),
  /** In the chat's log. */
  "message.created": Type.Object({ message: MessageSchema }),
  /**
   * History was imported into the chat (chat.import), or imported messages changed their
   * author (chat.import_map): one event instead of one per message. In the chat's log; a
   * client refetches what it shows of the chat's messages.
   */
  "chat.imported": Type.Object({ chat: ChatSchema, count: Type.Integer(), lastMessage: Type.Union([MessageSchema, Type.Null()]) }),
  /**
   * In the chat's log. mentionsBefore (of the message before this edit) lets a client move
   * its unread-mention count when an edit adds or drops a mention of an unread message.
   */
  "message.edited": Type.Object({ message: MessageSchema, mentionsBefore: Type.Object({ userIds: Type.Array(Type.String()), all: Type.Boolean() }) }),
  /**
   * forEveryone: in the chat's log (the message is now a tombstone); otherwise to you only.
   * A client ignores it for a message it hid for itself (its counts already left it out).
   * senderId and mentions (of the message as it was) let a client correct its unread and
   * mention counts without having the message loaded.
   */
  "message.deleted": Type.Object({
    chatId: Type.String(),
    messageId: Type.String(),
    seq: SeqSchema,
    forEveryone: Type.Boolean(),
    senderId: Type.String(),
    mentions: Type.Object({ userIds: Type.Array(Type.String()), all: Type.Boolean() }),
    expired: Type.Optional(Type.Literal(true)), // deleted by retention (timer or auto-delete): the message vanishes, no tombstone shown
  }),
  /**
   * To you, with your exact counts; in direct chats and small groups the other members
   * get the pointer only (who-has-read), each in their own log, under the receipts bound.
   */
  "read.updated": Type.Object({
    chatId: Type.String(),
    userId: Type.String(),
    readSeq: SeqSchema,
    unreadCount: Type.Optional(Type.Integer()),
    unreadMentionCount: Type.Optional(Type.Integer()),
  }),
  /** An invite link was created or revoked; to the chat's owner and admins. */
  "chat.link_changed": Type.Object({ link: InviteLinkSchema }),
  /** You blocked or unblocked someone (from another device); to you only. */
  "user.block_changed": Type.Object({ userId: Type.String(), blocked: Type.Boolean() }),
  /**
   * Someone put or took back an emoji; `counts` are the message's reactions after it. In
   * the chat's log; in channels without `userId` (who reacted would otherwise list
   * subscribers) — the reactor's own devices get a copy WITH userId in their user log.
   * Your own `mine` changes when userId is you.
   */
  "reaction.changed": Type.Object({
    chatId: Type.String(),
    messageId: Type.String(),
    emoji: Type.String(),
    added: Type.Boolean(),
    userId: Type.Optional(Type.String()),
    counts: Type.Array(Type.Object({ emoji: Type.String(), count: Type.Integer() })),
  }),
  /** In the chat's log. */
  "message.pinned": Type.Object({ chatId: Type.String(), pin: PinSchema }),
  "message.unpinned": Type.Object({ chatId: Type.String(), messageId: Type.String() }),
  /** Your draft in a chat was saved or cleared (draft.save, or a send that cleared it); to you only, every device. */
  "draft.updated": Type.Object({ chatId: Type.String(), draft: Type.Union([DraftSchema, Type.Null()]) }),
} as const;

export type ChatEventType = keyof typeof chatEvents;
export type ChatEventData<T extends ChatEventType> = Static<(typeof chatEvents)[T]>;

/** Snapshot part of the chats module in `welcome.snapshot.chats`: the most recently active chats. */
export const ChatsSnapshotSchema = Type.Object({ chats: Type.Array(ChatEntrySchema), hasMore: Type.Boolean() });
export type ChatsSnapshot = Static<typeof ChatsSnapshotSchema>;
