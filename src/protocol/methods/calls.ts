// Call signaling over WebSocket: join a chat's call, then the mediasoup-client dance
// (transports, produce, consume) by id. mediasoup's own structures (RTP capabilities and
// parameters, DTLS and ICE parameters) travel as opaque objects: the SFU validates them
// and a malformed one is answered `invalid_field`. Every id is scoped to the caller's
// own participation: someone else's transport, producer or consumer is `not_found`.
import { type Static, Type } from "@sinclair/typebox";
import { PageLimitSchema } from "./paging.ts";
import { ChatIdSchema } from "./chats.ts";

const IdSchema = Type.String({ minLength: 1, maxLength: 64 });
/** A mediasoup structure, validated by the SFU itself. */
export const OpaqueSchema = Type.Object({}, { additionalProperties: true });
const Ok = Type.Object({});

export const CallSourceSchema = Type.Union([Type.Literal("mic"), Type.Literal("camera"), Type.Literal("screen"), Type.Literal("screen_audio")]);
export type CallSource = Static<typeof CallSourceSchema>;

/** Someone in a call, as every participant sees them. */
export const ParticipantSchema = Type.Object({
  userId: Type.String(),
  joinedAt: Type.Integer(),
  muted: Type.Boolean(), // no live mic, or muted by choice
  deafened: Type.Boolean(),
  camera: Type.Boolean(), // a live camera producer
  screen: Type.Boolean(), // a live screen producer
});
export type WireParticipant = Static<typeof ParticipantSchema>;

/** A producer a participant may consume. */
export const ProducerInfoSchema = Type.Object({
  producerId: Type.String(),
  userId: Type.String(),
  kind: Type.Union([Type.Literal("audio"), Type.Literal("video")]),
  source: CallSourceSchema,
  paused: Type.Boolean(),
});
export type WireProducer = Static<typeof ProducerInfoSchema>;

/** RTCIceServer as browsers take it. */
export const IceServerSchema = Type.Object({
  urls: Type.Array(Type.String()),
  username: Type.Optional(Type.String()),
  credential: Type.Optional(Type.String()),
});

/** A call in a chat (snapshot and call.started). */
export const CallInfoSchema = Type.Object({
  callId: Type.String(),
  chatId: Type.String(),
  startedBy: Type.String(),
  startedAt: Type.Integer(),
  ringing: Type.Boolean(), // a 1:1 call not answered yet
  participantIds: Type.Array(Type.String()),
});
export type CallInfo = Static<typeof CallInfoSchema>;

/** A finished call, as the chat's call history shows it. */
export const CallRecordSchema = Type.Object({
  callId: Type.String(),
  chatId: Type.String(),
  startedBy: Type.String(),
  startedAt: Type.Integer(),
  endedAt: Type.Integer(),
  reason: Type.Union([Type.Literal("ended"), Type.Literal("declined"), Type.Literal("missed"), Type.Literal("failed")]),
  participantIds: Type.Array(Type.String()), // everyone who joined; a missed call has only the caller
});
export type WireCallRecord = Static<typeof CallRecordSchema>;

const OnCall = { callId: IdSchema };
const OnTransport = { transportId: IdSchema };
const OnProducer = { producerId: IdSchema };
const OnConsumer = { consumerId: IdSchema };

export const callMethods = {
  /**
   * Joins the chat's call, starting one if there is none (in a direct chat that rings the
   * other person; joining a ringing call answers it). Joining again (another device, a
   * network blip, call.rejoin_required) replaces your previous participation.
   */
  "call.join": {
    params: Type.Object({ chatId: ChatIdSchema }),
    result: Type.Object({
      callId: Type.String(),
      chatId: Type.String(),
      routerRtpCapabilities: OpaqueSchema,
      iceServers: Type.Array(IceServerSchema),
      participants: Type.Array(ParticipantSchema),
      producers: Type.Array(ProducerInfoSchema), // already live: consume them
    }),
  },
  /** Refuses a ringing 1:1 call (ends it for both); elsewhere a no-op. */
  "call.decline": { params: Type.Object(OnCall), result: Ok },
  "call.leave": { params: Type.Object(OnCall), result: Ok },
  /** Your muted/deafened state, shown to the other participants (call.participant_updated). */
  "call.set_state": {
    params: Type.Object({ ...OnCall, muted: Type.Optional(Type.Boolean()), deafened: Type.Optional(Type.Boolean()) }),
    result: Type.Object({ participant: ParticipantSchema }),
  },
  /** A WebRtcTransport on the server's single media port (ICE-lite, UDP and TCP). */
  "call.transport.create": {
    params: Type.Object({ ...OnCall, direction: Type.Union([Type.Literal("send"), Type.Literal("recv")]) }),
    result: Type.Object({
      transportId: Type.String(),
      iceParameters: OpaqueSchema,
      iceCandidates: Type.Array(OpaqueSchema),
      dtlsParameters: OpaqueSchema,
    }),
  },
  "call.transport.connect": { params: Type.Object({ ...OnTransport, dtlsParameters: OpaqueSchema }), result: Ok },
  /** After a network change: new ICE credentials for the client's restartIce(). */
  "call.restart_ice": { params: Type.Object(OnTransport), result: Type.Object({ iceParameters: OpaqueSchema }) },
  /** camera needs the call_camera right, screen/screen_audio call_screen (e.g. channel admins only). */
  "call.produce": {
    params: Type.Object({
      ...OnTransport,
      kind: Type.Union([Type.Literal("audio"), Type.Literal("video")]),
      rtpParameters: OpaqueSchema,
      appData: Type.Object({ source: CallSourceSchema }),
    }),
    result: Type.Object({ producerId: Type.String() }),
  },
  "call.producer.pause": { params: Type.Object(OnProducer), result: Ok },
  "call.producer.resume": { params: Type.Object(OnProducer), result: Ok },
  "call.producer.close": { params: Type.Object(OnProducer), result: Ok },
  /** A paused consumer on your receive transport (the newest one unless transportId): resume it once set up. */
  "call.consume": {
    params: Type.Object({ ...OnProducer, rtpCapabilities: OpaqueSchema, transportId: Type.Optional(IdSchema) }),
    result: Type.Object({
      consumerId: Type.String(),
      producerId: Type.String(),
      userId: Type.String(),
      kind: Type.Union([Type.Literal("audio"), Type.Literal("video")]),
      source: CallSourceSchema,
      rtpParameters: OpaqueSchema,
      type: Type.String(), // simple | simulcast | svc
      producerPaused: Type.Boolean(),
    }),
  },
  "call.consumer.resume": { params: Type.Object(OnConsumer), result: Ok },
  "call.consumer.pause": { params: Type.Object(OnConsumer), result: Ok },
  /** Simulcast/SVC: the highest layers you want; the SFU still lowers them when bandwidth is short. */
  "call.set_preferred_layers": {
    params: Type.Object({
      ...OnConsumer,
      spatialLayer: Type.Integer({ minimum: 0, maximum: 15 }),
      temporalLayer: Type.Optional(Type.Integer({ minimum: 0, maximum: 15 })),
    }),
    result: Ok,
  },
  /** The chat's finished calls (missed, declined, ended), newest first; any member may read them. */
  "call.history": {
    params: Type.Object({
      chatId: ChatIdSchema,
      before: Type.Optional(Type.Object({ endedAt: Type.Integer(), callId: IdSchema })),
      limit: Type.Optional(PageLimitSchema),
    }),
    result: Type.Object({ calls: Type.Array(CallRecordSchema), hasMore: Type.Boolean() }),
  },
} as const;

export type CallMethodName = keyof typeof callMethods;
export type CallParams<M extends CallMethodName> = Static<(typeof callMethods)[M]["params"]>;
export type CallResult<M extends CallMethodName> = Static<(typeof callMethods)[M]["result"]>;
