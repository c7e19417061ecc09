// Typing, presence and privacy methods over WebSocket, and the shapes they share with
// the ephemeral frame (../ephemeral.ts) and the welcome snapshot part `presence`.
import { type Static, Type } from "@sinclair/typebox";
import { ChatIdSchema, UserIdSchema } from "./chats.ts";

export const VisibilitySchema = Type.Union([Type.Literal("everyone"), Type.Literal("contacts"), Type.Literal("nobody")]);
/** groupAdd: who may add you to groups and channels (`contacts`: people you share a direct chat or group with). */
export const PrivacySchema = Type.Object({ lastSeen: VisibilitySchema, readReceipts: VisibilitySchema, groupAdd: VisibilitySchema });

/**
 * What a viewer may know of a user. online/away/offline (+ lastSeenAt when offline) if the
 * user's last-seen setting admits the viewer; otherwise only a coarse `recently` (connected
 * or seen within limits.presenceRecentlyMs) or `long_ago`, which never changes on a flap.
 */
export const PresenceStateSchema = Type.Union([
  Type.Literal("online"),
  Type.Literal("away"),
  Type.Literal("dnd"), // connected, with do-not-disturb on (notify.set dnd); shown instead of online/away
  Type.Literal("offline"),
  Type.Literal("recently"),
  Type.Literal("long_ago"),
]);
export const PresenceSchema = Type.Object({
  userId: Type.String(),
  state: PresenceStateSchema,
  lastSeenAt: Type.Optional(Type.Integer()), // offline only, when known and visible
});

const Ok = Type.Object({});

export const presenceMethods = {
  /**
   * You are typing in chatId (direct chats and groups; needs the right to send). Repeat
   * while typing; the server passes on at most one per limits.typingThrottleMs and tells
   * the others you stopped after limits.typingTtlMs without a repeat. accepted: false when throttled.
   */
  "typing.start": { params: Type.Object({ chatId: ChatIdSchema }), result: Type.Object({ accepted: Type.Boolean() }) },
  /** You stopped typing (sent a message, cleared the draft). */
  "typing.stop": { params: Type.Object({ chatId: ChatIdSchema }), result: Ok },
  /** This device's activity: away when idle, online when used again. */
  "presence.set": { params: Type.Object({ state: Type.Union([Type.Literal("online"), Type.Literal("away")]) }), result: Ok },
  /** Presence of any users, as you may see it (strangers: per their last-seen setting). */
  "presence.get": {
    params: Type.Object({ userIds: Type.Array(UserIdSchema, { minItems: 1, maxItems: 100 }) }),
    result: Type.Object({ users: Type.Array(PresenceSchema) }),
  },
  "privacy.get": { params: Type.Object({}), result: PrivacySchema },
  /** Changes the given settings; the result is all of them. */
  "privacy.set": { params: Type.Partial(PrivacySchema), result: PrivacySchema },
} as const;

export type PresenceMethodName = keyof typeof presenceMethods;
export type PresenceParams<M extends PresenceMethodName> = Static<(typeof presenceMethods)[M]["params"]>;
export type WirePresence = Static<typeof PresenceSchema>;
export type PresenceState = Static<typeof PresenceStateSchema>;
export type WirePrivacy = Static<typeof PrivacySchema>;

/** Snapshot part of the presence module in `welcome.snapshot.presence`. */
export const PresenceSnapshotSchema = Type.Object({ users: Type.Array(PresenceSchema), privacy: PrivacySchema });
