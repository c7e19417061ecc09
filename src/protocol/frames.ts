// Every WebSocket frame, as TypeBox schemas and the TypeScript types derived from them.
// Frames are msgpack maps discriminated by `t`. Unknown extra fields are ignored so a
// newer peer may add optional fields without a version bump. See docs/protocol.md.
import { type Static, Type } from "@sinclair/typebox";

const SAFE_INT_MAX = 2 ** 53 - 1;
/** Per-user event ids: integers increasing by one, 0 = "nothing yet". */
export const EventIdSchema = Type.Integer({ minimum: 0, maximum: SAFE_INT_MAX });
/** Request ids are chosen by the client; unique among its outstanding requests. */
export const ReqIdSchema = Type.Integer({ minimum: 0, maximum: SAFE_INT_MAX });
const Name = Type.String({ maxLength: 64 });

// ---- client → server ----
export const HelloSchema = Type.Object({
  t: Type.Literal("hello"),
  v: Type.Integer({ minimum: 0, maximum: 65535 }),
  token: Type.String({ maxLength: 8192 }),
  resume: Type.Optional(
    Type.Object({
      queueId: Type.String({ maxLength: 128 }),
      lastEventId: EventIdSchema,
      /** The chat log positions the client holds (at most limits.resumeChatsMax, checked by the server). */
      chats: Type.Optional(Type.Array(Type.Object({ chatId: Type.String({ maxLength: 64 }), pos: Type.Integer({ minimum: 0, maximum: SAFE_INT_MAX }) }))),
    }),
  ),
  client: Type.Optional(Type.Object({ name: Name, version: Name })),
});
export const ReqSchema = Type.Object({
  t: Type.Literal("req"),
  id: ReqIdSchema,
  method: Type.String({ minLength: 1, maxLength: 64 }),
  params: Type.Optional(Type.Unknown()),
});
export const AckSchema = Type.Object({ t: Type.Literal("ack"), lastEventId: EventIdSchema });
/** Application-level liveness probe (browsers cannot see WebSocket pings). */
export const PingSchema = Type.Object({ t: Type.Literal("ping") });

export type Hello = Static<typeof HelloSchema>;
export type Req = Static<typeof ReqSchema>;
export type Ack = Static<typeof AckSchema>;
export type Ping = Static<typeof PingSchema>;
export type ClientFrame = Hello | Req | Ack | Ping;

// ---- server → client ----
export const WireErrorSchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  data: Type.Optional(Type.Unknown()),
});
export const EventSchema = Type.Object({
  id: EventIdSchema,
  type: Type.String(),
  data: Type.Unknown(),
  at: Type.Integer({ minimum: 0 }), // ms since the epoch, when the event was committed
});
export const WelcomeSchema = Type.Object({
  t: Type.Literal("welcome"),
  v: Type.Integer({ minimum: 0 }),
  queueId: Type.String(),
  lastEventId: EventIdSchema,
  server: Type.Object({ name: Type.String(), version: Type.String() }),
  resumed: Type.Boolean(),
  /** Present iff resumed is false: one entry per domain module. */
  snapshot: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  /** Present iff a resume was asked for but impossible: {code: "resume_gap", data: {oldestEventId}}. */
  gap: Type.Optional(WireErrorSchema),
});
export const ResSchema = Type.Union([
  Type.Object({ t: Type.Literal("res"), id: ReqIdSchema, result: Type.Unknown() }),
  // id is null only when the offending frame's id could not be read
  Type.Object({ t: Type.Literal("res"), id: Type.Union([ReqIdSchema, Type.Null()]), error: WireErrorSchema }),
]);
export const EventsSchema = Type.Object({ t: Type.Literal("events"), events: Type.Array(EventSchema) });
/** One change in a chat's log: `pos` counts up by one per chat, 1 = the first change. */
export const ChatLogEventSchema = Type.Object({
  pos: Type.Integer({ minimum: 1, maximum: SAFE_INT_MAX }),
  type: Type.String(),
  data: Type.Unknown(),
  at: Type.Integer({ minimum: 0 }),
});
/** Changes of one chat, `pos` strictly increasing and contiguous within the frame. */
export const ChatEventsSchema = Type.Object({ t: Type.Literal("chat_events"), chatId: Type.String(), events: Type.Array(ChatLogEventSchema) });
/** "Too far behind": drop the chat's cached log-derived state, take `entry` (the chat list entry at `pos`). */
export const ChatResetSchema = Type.Object({ t: Type.Literal("chat_reset"), chatId: Type.String(), pos: Type.Integer({ minimum: 0, maximum: SAFE_INT_MAX }), entry: Type.Unknown() });
export const ByeSchema = Type.Object({
  t: Type.Literal("bye"),
  reason: Type.String(), // a ByeReason (src/protocol/close.ts)
  message: Type.Optional(Type.String()),
  data: Type.Optional(Type.Unknown()),
});
export const PongSchema = Type.Object({ t: Type.Literal("pong") });
/** Typing and presence (src/protocol/ephemeral.ts): no ids, no acks, never replayed. */
export const EphemeralSchema = Type.Object({
  t: Type.Literal("ephemeral"),
  events: Type.Array(Type.Object({ type: Type.String(), data: Type.Unknown() })),
});

export type WireEvent = Static<typeof EventSchema>;
export type Welcome = Static<typeof WelcomeSchema>;
export type Res = Static<typeof ResSchema>;
export type Events = Static<typeof EventsSchema>;
export type Bye = Static<typeof ByeSchema>;
export type Pong = Static<typeof PongSchema>;
export type Ephemeral = Static<typeof EphemeralSchema>;
export type ChatLogEvent = Static<typeof ChatLogEventSchema>;
export type ChatEvents = Static<typeof ChatEventsSchema>;
export type ChatReset = Static<typeof ChatResetSchema>;
export type ServerFrame = Welcome | Res | Events | Bye | Pong | Ephemeral | ChatEvents | ChatReset;

export const clientFrameSchemas = { hello: HelloSchema, req: ReqSchema, ack: AckSchema, ping: PingSchema } as const;
export const serverFrameSchemas = {
  welcome: WelcomeSchema,
  res: ResSchema,
  events: EventsSchema,
  bye: ByeSchema,
  pong: PongSchema,
  ephemeral: EphemeralSchema,
  chat_events: ChatEventsSchema,
  chat_reset: ChatResetSchema,
} as const;
