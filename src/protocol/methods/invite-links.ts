// Invite links of groups and channels: admins create (idempotent per clientId), list and
// revoke them; anyone signed in may preview a code and join with it. The code is shown
// only to its creator (list shows links without codes: only their hashes are stored).
import { type Static, Type } from "@sinclair/typebox";
import { ChatEntrySchema, ChatIdSchema, ChatKindSchema, ClientIdSchema } from "./chats.ts";

const Nullable = (t: ReturnType<typeof Type.Integer>) => Type.Union([t, Type.Null()]);
const CodeSchema = Type.String({ minLength: 1, maxLength: 128 });
const LinkIdSchema = Type.String({ minLength: 1, maxLength: 64 });

export const InviteLinkSchema = Type.Object({
  id: Type.String(),
  chatId: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.Integer(),
  expiresAt: Nullable(Type.Integer()),
  maxUses: Nullable(Type.Integer()),
  uses: Type.Integer(),
  revokedAt: Nullable(Type.Integer()),
});

export const inviteLinkMethods = {
  /** Admins of a group or channel. A retry with the same clientId returns the same link and code. */
  "chat.link_create": {
    params: Type.Object({
      chatId: ChatIdSchema,
      clientId: ClientIdSchema,
      expiresInMs: Type.Optional(Type.Integer({ minimum: 1 })), // at most limits.chatInviteLinkTtlMsMax
      maxUses: Type.Optional(Type.Integer({ minimum: 1 })), // at most limits.chatInviteLinkUsesMax
    }),
    result: Type.Object({ link: InviteLinkSchema, code: Type.String(), url: Type.String() }),
  },
  /** Live (not revoked) links, newest first; expired and used-up ones show as such. */
  "chat.link_list": { params: Type.Object({ chatId: ChatIdSchema }), result: Type.Object({ links: Type.Array(InviteLinkSchema) }) },
  "chat.link_revoke": { params: Type.Object({ chatId: ChatIdSchema, linkId: LinkIdSchema }), result: Type.Object({ link: InviteLinkSchema }) },
  /** Joins as a member (subscriber); already a member: returns your entry, no use counted. */
  "chat.join_by_link": { params: Type.Object({ code: CodeSchema }), result: Type.Object({ entry: ChatEntrySchema, joined: Type.Boolean() }) },
  /** What a usable link leads to, without joining. */
  "chat.link_preview": {
    params: Type.Object({ code: CodeSchema }),
    result: Type.Object({ kind: ChatKindSchema, title: Type.String(), description: Type.String(), memberCount: Type.Integer() }),
  },
} as const;

export type WireInviteLink = Static<typeof InviteLinkSchema>;
export type InviteLinkMethodName = keyof typeof inviteLinkMethods;
export type InviteLinkParams<M extends InviteLinkMethodName> = Static<(typeof inviteLinkMethods)[M]["params"]>;
export type InviteLinkResult<M extends InviteLinkMethodName> = Static<(typeof inviteLinkMethods)[M]["result"]>;
