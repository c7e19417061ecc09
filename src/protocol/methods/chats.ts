// Chat methods over WebSocket and the shapes of chats on the wire, shared by the
// message methods (./messages.ts), events (../events/chats.ts) and the welcome
// snapshot. Length caps here only bound transport; src/chats/ and src/messages/ apply
// the real limits and answer `invalid_field` with a reason.
import { type Static, Type } from "@sinclair/typebox";
import { PageLimitSchema } from "./paging.ts";
import { LinkPreviewSchema } from "./previews.ts";
import { AttachmentSchema, AvatarSchema } from "../media.ts";
import { ChatLogEventSchema } from "../frames.ts";

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

export const ChatIdSchema = Type.String({ minLength: 1, maxLength: 64 });
export const UserIdSchema = Type.String({ minLength: 1, maxLength: 64 });
export const ClientIdSchema = Type.String({ minLength: 1, maxLength: 64 });
export const SeqSchema = Type.Integer({ minimum: 0, maximum: 2 ** 53 - 1 });
const TitleSchema = Type.String({ maxLength: 1024 });
const DescriptionSchema = Type.String({ maxLength: 8192 });
const UserIdsSchema = Type.Array(UserIdSchema, { maxItems: 1000 });

export const ChatKindSchema = Type.Union([
  Type.Literal("direct"),
  Type.Literal("saved"),
  Type.Literal("group"),
  Type.Literal("channel"),
  Type.Literal("space_channel"),
]);
export const MemberRoleSchema = Type.Union([Type.Literal("owner"), Type.Literal("admin"), Type.Literal("member")]);

export const ChatSchema = Type.Object({
  id: Type.String(),
  kind: ChatKindSchema,
  title: Type.String(), // empty for direct and saved: show the peer
  description: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.Integer(),
  memberCount: Type.Integer(), // a channel's subscriber count
  lastSeq: SeqSchema,
  lastAt: Type.Integer(),
  spaceId: Nullable(Type.String()),
  avatar: Type.Optional(AvatarSchema), // groups and channels: chat.set_avatar; absent = none
  // Retention (chat.set_retention): messages older than this many days are deleted; absent = off.
  autoDeleteDays: Type.Optional(Type.Integer()),
  // Disappearing messages: each message sent while this is set expires this many seconds after sending; absent = off.
  disappearSeconds: Type.Optional(Type.Integer()),
});

/** Someone in a chat, as every member who may list members sees them. */
export const MemberSchema = Type.Object({ userId: Type.String(), role: MemberRoleSchema, joinedAt: Type.Integer() });

/** muteUntil meaning "until unmuted" (JS Number.MAX_SAFE_INTEGER): `muteUntil > Date.now()` holds for it too. */
export const MUTE_FOREVER = 2 ** 53 - 1;

export const NotifyLevelSchema = Type.Union([Type.Literal("all"), Type.Literal("mentions"), Type.Literal("none")]);

/**
 * Your notification setting for one chat. muteUntil: null = not muted; a time (ms epoch)
 * = muted until then (the past = not muted); MUTE_FOREVER = until unmuted. A mute silences
 * everything (mentions too); level "none" likewise, "mentions" lets mentions (and @all
 * when allMentionsNotify) through.
 */
export const ChatNotifySchema = Type.Object({
  level: NotifyLevelSchema,
  muteUntil: Type.Union([Type.Integer({ minimum: 0, maximum: MUTE_FOREVER }), Type.Null()]),
});

/** The caller's own membership: role plus private read pointer and flags. */
export const MySettingsSchema = Type.Object({
  role: MemberRoleSchema,
  joinedAt: Type.Integer(),
  readSeq: SeqSchema,
  muted: Type.Boolean(), // muted until unmuted (chat.mute, or chat.notify with MUTE_FOREVER); a timed mute shows in notify only
  notify: ChatNotifySchema, // level and mute (chat.notify); see methods/push.ts
  archived: Type.Boolean(),
  pinnedAt: Nullable(Type.Integer()),
});

export const EntitySchema = Type.Union([
  Type.Object({ type: Type.Literal("mention"), offset: Type.Integer(), length: Type.Integer(), userId: Type.String() }),
  Type.Object({ type: Type.Literal("mention_all"), offset: Type.Integer(), length: Type.Integer() }),
  Type.Object({ type: Type.Literal("hashtag"), offset: Type.Integer(), length: Type.Integer(), tag: Type.String() }),
]);

/** One emoji on a message: how many put it there, and whether you did. */
export const ReactionCountSchema = Type.Object({ emoji: Type.String(), count: Type.Integer(), mine: Type.Boolean() });

/** The messengers whose exports chat.import reads (Discord: DiscordChatExporter's JSON). */
export const ImportSourceSchema = Type.Union([Type.Literal("telegram"), Type.Literal("whatsapp"), Type.Literal("discord")]);
export type ImportSource = Static<typeof ImportSourceSchema>;
/** How people call each messenger. */
export const importSourceName = (s: ImportSource): string => ({ telegram: "Telegram", whatsapp: "WhatsApp", discord: "Discord" })[s];

export const MessageSchema = Type.Object({
  id: Type.String(),
  chatId: Type.String(),
  seq: SeqSchema,
  senderId: Type.String(),
  clientId: Nullable(Type.String()),
  text: Type.String(), // empty once deleted
  entities: Type.Array(EntitySchema), // offsets in UTF-16 code units
  replyToId: Nullable(Type.String()),
  forward: Type.Union([
    Type.Object({ chatId: Type.String(), messageId: Type.String(), senderId: Type.String(), at: Type.Integer() }),
    Type.Null(),
  ]),
  silent: Type.Boolean(),
  createdAt: Type.Integer(),
  editedAt: Nullable(Type.Integer()),
  deletedAt: Nullable(Type.Integer()), // a tombstone: deleted for everyone
  // In message.list and message.pinned results (your `mine`); events carry none: apply reaction.changed.
  reactions: Type.Optional(Type.Array(ReactionCountSchema)),
  // The link preview the sender attached (message.send preview); absent: none. Purged on delete.
  preview: Type.Optional(LinkPreviewSchema),
  // Files, in the order sent (≤ limits.messageAttachmentsMax); absent = none, and dropped on a tombstone.
  attachments: Type.Optional(Type.Array(AttachmentSchema)),
  // Disappearing: the server deletes it for everyone at this time (ms epoch), stamped at send; absent = never.
  expiresAt: Type.Optional(Type.Integer()),
  // A tombstone made by retention (its timer ran out, or auto-delete), not by a person: clients show nothing for it.
  expired: Type.Optional(Type.Literal(true)),
  // Brought in from another messenger (chat.import): the author's name in the export; mapped
  // false = a placeholder (senderId is whoever imported it; show `author`), true = senderId
  // is the member it was mapped to. missingFiles: files the export did not include.
  imported: Type.Optional(
    Type.Object({ source: ImportSourceSchema, author: Type.String(), mapped: Type.Boolean(), missingFiles: Type.Integer() }),
  ),
});

/** Your unsent text in a chat, the same on all your devices. */
export const DraftSchema = Type.Object({ text: Type.String(), updatedAt: Type.Integer() });

/** A position in a chat's log (issue #13): 0 before its first change, then +1 per change. */
export const ChatPosSchema = Type.Integer({ minimum: 0, maximum: 2 ** 53 - 1 });

/**
 * One row of the chat list, for the caller. `pos`: the chat's log position when the
 * entry was read — the entry is the state at pos; the chat's changes follow from pos + 1.
 */
export const ChatEntrySchema = Type.Object({
  chat: ChatSchema,
  pos: ChatPosSchema,
  me: MySettingsSchema,
  peerId: Nullable(Type.String()), // direct: the other person; saved: yourself
  unreadCount: Type.Integer(),
  unreadMentionCount: Type.Integer(),
  // The seqs of unread messages you hid for yourself, ascending (the newest
  // limits.entryHiddenUnreadMax); absent = none. The counts above leave them out, but their
  // later edits and deletions for everyone still come through the chat's log, which all
  // members share: a client must not move its counts for those again.
  hiddenUnread: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 100 })),
  lastMessage: Type.Union([MessageSchema, Type.Null()]), // newest visible, not deleted
  draft: Type.Optional(DraftSchema), // present while you have unsent text there
});

export const ChatListCursorSchema = Type.Object({ lastAt: Type.Integer(), chatId: ChatIdSchema });

export type WireChat = Static<typeof ChatSchema>;
export type WireMember = Static<typeof MemberSchema>;
export type MySettings = Static<typeof MySettingsSchema>;
export type WireMessage = Static<typeof MessageSchema>;
export type ChatEntry = Static<typeof ChatEntrySchema>;
export type WireDraft = Static<typeof DraftSchema>;

// ---- WS methods: name → {params, result} ----
const Ok = Type.Object({});
const InChat = { chatId: ChatIdSchema };
const OnMember = Type.Object({ ...InChat, userId: UserIdSchema });

export const chatMethods = {
  /**
   * direct: opens (or returns) the chat with userId; saved: your own notes chat;
   * group/channel: a new chat owned by you. A retry with the same clientId returns the first result.
   */
  "chat.create": {
    params: Type.Union([
      Type.Object({ kind: Type.Literal("direct"), userId: UserIdSchema }),
      Type.Object({ kind: Type.Literal("saved") }),
      Type.Object({
        kind: Type.Union([Type.Literal("group"), Type.Literal("channel")]),
        clientId: ClientIdSchema,
        title: TitleSchema,
        description: Type.Optional(DescriptionSchema),
        memberIds: Type.Optional(UserIdsSchema),
      }),
    ]),
    result: Type.Object({ entry: ChatEntrySchema, created: Type.Boolean() }),
  },
  "chat.get": { params: Type.Object(InChat), result: ChatEntrySchema },
  /** Most recently active first; pass the last entry's (chat.lastAt, chat.id) as `before` for the next page. */
  "chat.list": {
    params: Type.Object({ before: Type.Optional(ChatListCursorSchema), limit: Type.Optional(PageLimitSchema) }),
    result: Type.Object({ chats: Type.Array(ChatEntrySchema), hasMore: Type.Boolean() }),
  },
  "chat.rename": { params: Type.Object({ ...InChat, title: TitleSchema }), result: Type.Object({ chat: ChatSchema }) },
  "chat.describe": { params: Type.Object({ ...InChat, description: DescriptionSchema }), result: Type.Object({ chat: ChatSchema }) },
  /**
   * Retention: auto-delete after N days and the disappearing-messages timer (seconds).
   * A field absent keeps its value, null turns it off; at least one is given. Admins and
   * the owner of groups and channels, either person of a direct chat. invalid_field for
   * a value outside limits.chatAutoDeleteDaysMax / messageDisappearSeconds{Min,Max}.
   */
  "chat.set_retention": {
    params: Type.Object({
      ...InChat,
      autoDeleteDays: Type.Optional(Type.Union([Type.Integer({ minimum: -(2 ** 31), maximum: 2 ** 31 }), Type.Null()])),
      disappearSeconds: Type.Optional(Type.Union([Type.Integer({ minimum: -(2 ** 31), maximum: 2 ** 31 }), Type.Null()])),
    }),
    result: Type.Object({ chat: ChatSchema }),
  },
  "chat.mute": { params: Type.Object({ ...InChat, muted: Type.Boolean() }), result: Type.Object({ me: MySettingsSchema }) },
  "chat.archive": { params: Type.Object({ ...InChat, archived: Type.Boolean() }), result: Type.Object({ me: MySettingsSchema }) },
  "chat.pin": { params: Type.Object({ ...InChat, pinned: Type.Boolean() }), result: Type.Object({ me: MySettingsSchema }) },
  /**
   * The chat's changes after `afterPos` (a client that saw a jump in pos): `events` when
   * they are all still kept and at most limits.chatDifferenceMax, else `reset` — "too far
   * behind": take the entry (the state at `pos`) and drop what was derived from the log.
   * Members only (not_found otherwise).
   */
  "chat.difference": {
    params: Type.Object({ ...InChat, afterPos: ChatPosSchema }),
    result: Type.Union([
      Type.Object({ events: Type.Array(ChatLogEventSchema), pos: ChatPosSchema }),
      Type.Object({ reset: ChatEntrySchema, pos: ChatPosSchema }),
    ]),
  },
  "member.list": {
    params: Type.Object({ ...InChat, afterUserId: Type.Optional(UserIdSchema), limit: Type.Optional(PageLimitSchema) }),
    result: Type.Object({ members: Type.Array(MemberSchema), hasMore: Type.Boolean() }),
  },
  /** Users already in the chat are skipped; `members` lists those actually added. */
  "member.add": { params: Type.Object({ ...InChat, userIds: UserIdsSchema }), result: Type.Object({ members: Type.Array(MemberSchema) }) },
  "member.remove": { params: OnMember, result: Ok },
  "member.leave": { params: Type.Object(InChat), result: Ok },
  "member.promote": { params: OnMember, result: Type.Object({ member: MemberSchema }) },
  "member.demote": { params: OnMember, result: Type.Object({ member: MemberSchema }) },
} as const;

export type ChatMethodName = keyof typeof chatMethods;
export type ChatParams<M extends ChatMethodName> = Static<(typeof chatMethods)[M]["params"]>;
export type ChatResult<M extends ChatMethodName> = Static<(typeof chatMethods)[M]["result"]>;
