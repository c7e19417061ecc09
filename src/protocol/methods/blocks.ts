// Blocking a user: they may no longer reach you in your direct chat (messages, reactions,
// pins, typing, calls), open a new one, add you to a group or channel, or notify you with a
// mention. Nothing already stored is hidden; otherwise groups are unaffected.
import { type Static, Type } from "@sinclair/typebox";
import { PageLimitSchema } from "./paging.ts";
import { UserIdSchema } from "./chats.ts";

export const BlockedUserSchema = Type.Object({ userId: Type.String(), at: Type.Integer() });

export const blockMethods = {
  /** Blocking twice changes nothing. */
  "user.block": { params: Type.Object({ userId: UserIdSchema }), result: Type.Object({}) },
  "user.unblock": { params: Type.Object({ userId: UserIdSchema }), result: Type.Object({}) },
  /** The users you blocked, by user id; pass the last one as afterUserId for the next page. */
  "user.block_list": {
    params: Type.Object({ afterUserId: Type.Optional(UserIdSchema), limit: Type.Optional(PageLimitSchema) }),
    result: Type.Object({ users: Type.Array(BlockedUserSchema), hasMore: Type.Boolean() }),
  },
} as const;

export type BlockMethodName = keyof typeof blockMethods;
export type BlockParams<M extends BlockMethodName> = Static<(typeof blockMethods)[M]["params"]>;
