// Reactions and pinned messages. An emoji is ONE emoji grapheme (see
// src/messages/emoji.ts); counts come in message views as `reactions`, with `mine`.
import { type Static, Type } from "@sinclair/typebox";
import { PageLimitSchema } from "./paging.ts";
import { ChatIdSchema, MessageSchema, ReactionCountSchema, UserIdSchema } from "./chats.ts";

const MessageIdSchema = Type.String({ minLength: 1, maxLength: 64 });
const EmojiSchema = Type.String({ minLength: 1, maxLength: 64 }); // transport cap; the real rule is one emoji
const OnMessage = { chatId: ChatIdSchema, messageId: MessageIdSchema };

export const PinSchema = Type.Object({ message: MessageSchema, pinnedBy: Type.String(), pinnedAt: Type.Integer() });

export const reactionMethods = {
  /** Adds your emoji to the message, or takes it back if you had it. */
  "reaction.toggle": {
    params: Type.Object({ ...OnMessage, emoji: EmojiSchema }),
    result: Type.Object({ added: Type.Boolean(), reactions: Type.Array(ReactionCountSchema) }),
  },
  /** Who put this emoji on the message (in channels: admins only), by user id. */
  "reaction.list": {
    params: Type.Object({
      ...OnMessage,
      emoji: EmojiSchema,
      afterUserId: Type.Optional(UserIdSchema),
      limit: Type.Optional(PageLimitSchema),
    }),
    result: Type.Object({ users: Type.Array(Type.Object({ userId: Type.String(), at: Type.Integer() })), hasMore: Type.Boolean() }),
  },
  /** Admins in groups and channels; both people in a direct chat. Pinning twice changes nothing. */
  "message.pin": { params: Type.Object(OnMessage), result: Type.Object({ pin: PinSchema }) },
  "message.unpin": { params: Type.Object(OnMessage), result: Type.Object({}) },
  /** Pinned messages, most recently pinned first (at most limits.pinnedMessagesPerChatMax). */
  "message.list_pinned": { params: Type.Object({ chatId: ChatIdSchema }), result: Type.Object({ pins: Type.Array(PinSchema) }) },
} as const;

export type WireReactionCount = Static<typeof ReactionCountSchema>;
export type ReactionMethodName = keyof typeof reactionMethods;
export type ReactionParams<M extends ReactionMethodName> = Static<(typeof reactionMethods)[M]["params"]>;
export type ReactionResult<M extends ReactionMethodName> = Static<(typeof reactionMethods)[M]["result"]>;
