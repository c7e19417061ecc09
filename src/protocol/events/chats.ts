// Events of chats and messages: type → TypeBox schema of `data`. Each goes only to
// users who may see it, computed at commit: the chat's members (a removed member gets
// the removal, then nothing more). Applying them to `welcome.snapshot.chats` gives what
// a fresh snapshot would show (unread counts: a message.created not sent by you and
// after your readSeq adds one; read.updated carries your exact counts).
import { type Static, Type } from "@sinclair/typebox";
import { ChatEntrySchema, ChatSchema, DraftSchema, MemberSchema, MessageSchema, MySettingsSchema, SeqSchema } from "../methods/chats.ts";
import { InviteLinkSchema } from "../methods/invite-links.ts";
import { PinSchema } from "../methods/reactions.ts";

export const chatEvents = {
  /** You are in a new chat (created by you or someone else); entry is yours. */
  "chat.created": Type.Object({ entry: ChatEntrySchema }),
  /** Title, description (or later other chat-wide fields) changed; to every member. */
  "chat.updated": Type.Object({ chat: ChatSchema }),
  /**
   * Someone changed the chat's retention (chat.set_retention); to every member, shown in
   * the chat as "Ada set messages to disappear after 1 day". `chat` is the chat after the
   * change; a field present is what changed (null: turned off).
   */
  "chat.retention_changed": Type.Object({
    chat: ChatSchema,
    by: Type.String(),
    autoDeleteDays: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    disappearSeconds: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  }),
  /** To every member; the added users' copy also carries their own `entry`. */
  "chat.member_added": Type.Object({ chat: ChatSchema, members: Type.Array(MemberSchema), entry: Type.Optional(ChatEntrySchema) }),
  /** To every member before the change, the removed included (they drop the chat). */
  "chat.member_removed": Type.Object({ chat: ChatSchema, userIds: Type.Array(Type.String()) }),
  /** Role change: to every member. Your own flags (mute/archive/pin): to you only, with `me`. */
  "chat.member_updated": Type.Object({ chatId: Type.String(), member: MemberSchema, me: Type.Optional(MySettingsSchema) }),
  "message.created": Type.Object({ message: MessageSchema }),
  /**
   * History was imported into the chat (chat.import), or imported messages changed their
   * author (chat.import_map): one event instead of one per message. To every member; a
   * client refetches what it shows of the chat's messages.
   */
  "chat.imported": Type.Object({ chat: ChatSchema, count: Type.Integer(), lastMessage: Type.Union([MessageSchema, Type.Null()]) }),
  /**
   * To every member. mentionsBefore (of the message before this edit) lets a client move
   * its unread-mention count when an edit adds or drops a mention of an unread message.
   */
  "message.edited": Type.Object({ message: MessageSchema, mentionsBefore: Type.Object({ userIds: Type.Array(Type.String()), all: Type.Boolean() }) }),
  /**
   * forEveryone: to every member (the message is now a tombstone); otherwise to you only.
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
   * Your copy carries your exact counts; in direct chats and small groups the other
   * members get the pointer only (who-has-read).
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
   * Someone put or took back an emoji; `counts` are the message's reactions after it. To
   * every member; in channels `userId` goes only to the reactor and admins (who reacted
   * would otherwise list subscribers). Your own `mine` changes when userId is you.
   */
  "reaction.changed": Type.Object({
    chatId: Type.String(),
    messageId: Type.String(),
    emoji: Type.String(),
    added: Type.Boolean(),
    userId: Type.Optional(Type.String()),
    counts: Type.Array(Type.Object({ emoji: Type.String(), count: Type.Integer() })),
  }),
  /** To every member. */
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
