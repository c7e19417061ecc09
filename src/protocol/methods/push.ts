// Notifications over WebSocket: Web Push subscriptions (push.*), the connection's
// visibility (client.visibility), global notification settings (notify.*) and the
// per-chat level and mute (chat.notify; the chat list item carries it as me.notify).
// The JSON a service worker receives in a push message is PushPayloadSchema.
import { type Static, Type } from "@sinclair/typebox";
import { ChatIdSchema, ChatNotifySchema, MUTE_FOREVER, MySettingsSchema, NotifyLevelSchema } from "./chats.ts";

export { ChatNotifySchema, MUTE_FOREVER, NotifyLevelSchema };

const Ok = Type.Object({});

/** Weekly do-not-disturb hours in the user's time zone; startMin > endMin spans midnight (22:00–07:00). */
export const DndScheduleSchema = Type.Object({
  startMin: Type.Integer({ minimum: 0, maximum: 1439 }), // minutes after local midnight
  endMin: Type.Integer({ minimum: 0, maximum: 1439 }),
  days: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { maxItems: 7 }), // 0 = Sunday; the day the period starts on
  tz: Type.String({ minLength: 1, maxLength: 64 }), // IANA name, e.g. "Europe/Berlin"; validated by the server
});

/** until: manual do-not-disturb until then (ms epoch; MUTE_FOREVER = until turned off; null = off). */
export const DndSchema = Type.Object({
  until: Type.Union([Type.Integer({ minimum: 0, maximum: MUTE_FOREVER }), Type.Null()]),
  schedule: Type.Union([DndScheduleSchema, Type.Null()]),
});

export const NotifySettingsSchema = Type.Object({
  dnd: DndSchema,
  callsBypassDnd: Type.Boolean(), // incoming calls still ring (and push) during do-not-disturb
  allMentionsNotify: Type.Boolean(), // @all counts as a mention of you
  hideContent: Type.Boolean(), // pushes carry no sender and no text
});

export const PushKeysSchema = Type.Object({
  p256dh: Type.String({ minLength: 1, maxLength: 128 }), // base64url, 65-byte uncompressed P-256 point
  auth: Type.String({ minLength: 1, maxLength: 64 }), // base64url, 16 bytes
});

export const PushSubscriptionSchema = Type.Object({
  endpoint: Type.String({ minLength: 1, maxLength: 2048 }), // https; the server applies limits.pushEndpointCharsMax
  keys: PushKeysSchema,
});

export const pushMethods = {
  /**
   * What a client needs to subscribe. vapidPublicKey: base64url uncompressed P-256 point
   * (applicationServerKey). If it differs from the key of the browser's existing
   * subscription (the server's key was rotated), unsubscribe in the browser and subscribe
   * again. available: false when this server sends no Web Push (push.enabled off).
   * subscribed: this session has a subscription on the server.
   */
  "push.config": {
    params: Ok,
    result: Type.Object({ vapidPublicKey: Type.String(), available: Type.Boolean(), subscribed: Type.Boolean() }),
  },
  /** Binds the subscription to the current session (replacing its earlier one, and any other row with the same endpoint). */
  "push.subscribe": { params: PushSubscriptionSchema, result: Ok },
  /** Drops the current session's subscription (no-op if none). */
  "push.unsubscribe": { params: Ok, result: Ok },
  /**
   * Sends a test notification to one of your sessions (default: this one). sent: false
   * when that session has no subscription. The push is queued: delivery is not awaited.
   */
  "push.test": { params: Type.Object({ sessionId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }), result: Type.Object({ sent: Type.Boolean() }) },
  /** This connection's page is visible (true) or hidden. A connection counts as visible until it says otherwise. */
  "client.visibility": { params: Type.Object({ visible: Type.Boolean() }), result: Ok },
  "notify.get": { params: Ok, result: NotifySettingsSchema },
  /** Changes the given settings (dnd replaces both of its fields); the result is all of them. */
  "notify.set": { params: Type.Partial(NotifySettingsSchema), result: NotifySettingsSchema },
  /** Your level and mute for one chat; omitted fields keep their value. Result: your whole membership (me.notify). */
  "chat.notify": {
    params: Type.Object({ chatId: ChatIdSchema, level: Type.Optional(NotifyLevelSchema), muteUntil: Type.Optional(ChatNotifySchema.properties.muteUntil) }),
    result: Type.Object({ me: MySettingsSchema }),
  },
} as const;

/**
 * The JSON inside every push message (RFC 8291-encrypted). tag: group notifications by it
 * (`chat:<chatId>`, `call:<callId>`, `test`); url: the path to open on click. count: the
 * messages this notification stands for (coalesced: "5 new messages"). title/body are empty
 * strings when the recipient hides content (or when the push service refused the full
 * size); `senderId`/`messageId`/`seq` are absent then.
 */
export const PushPayloadSchema = Type.Object({
  v: Type.Literal(1),
  kind: Type.Union([Type.Literal("message"), Type.Literal("call"), Type.Literal("test")]),
  chatId: Type.Union([Type.String(), Type.Null()]),
  title: Type.String(),
  body: Type.String(),
  count: Type.Integer({ minimum: 1 }),
  url: Type.String(),
  tag: Type.String(),
  senderId: Type.Optional(Type.String()),
  messageId: Type.Optional(Type.String()),
  seq: Type.Optional(Type.Integer()),
  callId: Type.Optional(Type.String()),
  // kind "call" only: the ringing call was missed (nobody answered); replaces the ringing notification (same tag)
  missed: Type.Optional(Type.Boolean()),
  at: Type.Integer(), // when the newest thing it stands for happened (ms epoch)
  // messages: a capability for the notification's buttons, POST pushPaths.action (see PushActionBodySchema)
  action: Type.Optional(Type.String()),
});

/** HTTP routes of notifications (JSON). */
export const pushPaths = {
  /** A service worker's "mark read" / "reply" from a notification, authorized by the payload's `action` token. */
  action: "/api/push/action",
} as const;

/**
 * read: marks the chat read up to the pushed message (204). reply: sends `text` to the
 * chat as the recipient (200 { messageId }); clientId makes a retry idempotent.
 */
export const PushActionBodySchema = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 512 }),
  action: Type.Union([Type.Literal("read"), Type.Literal("reply")]),
  text: Type.Optional(Type.String({ maxLength: 65_536 })),
  clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});

export type PushMethodName = keyof typeof pushMethods;
export type PushParams<M extends PushMethodName> = Static<(typeof pushMethods)[M]["params"]>;
export type NotifyLevel = Static<typeof NotifyLevelSchema>;
export type ChatNotify = Static<typeof ChatNotifySchema>;
export type NotifySettings = Static<typeof NotifySettingsSchema>;
export type DndSchedule = Static<typeof DndScheduleSchema>;
export type PushPayload = Static<typeof PushPayloadSchema>;
export type WirePushSubscription = Static<typeof PushSubscriptionSchema>;
export type PushActionBody = Static<typeof PushActionBodySchema>;
