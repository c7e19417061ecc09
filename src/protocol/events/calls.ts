// Events of calls: type → TypeBox schema of `data`. call.started/call.ended go to the
// chat's members (so chat lists can show an in-call indicator), call.ring to the callee
// of a 1:1 call, everything else to the call's current participants only.
import { type Static, Type } from "@sinclair/typebox";
import { CallInfoSchema, CallRecordSchema, ParticipantSchema, ProducerInfoSchema } from "../methods/calls.ts";

export const CallEndReasonSchema = Type.Union([
  Type.Literal("ended"), // the last participant left
  Type.Literal("declined"), // the callee refused a 1:1 call
  Type.Literal("missed"), // a 1:1 call nobody answered (timeout, or the caller hung up first)
  Type.Literal("failed"), // the media server lost the call and nobody rejoined in time
]);

export const callEvents = {
  "call.started": Type.Object({ call: CallInfoSchema }),
  /** To the other person of a direct chat: answer with call.join, refuse with call.decline. */
  "call.rang": Type.Object({ callId: Type.String(), chatId: Type.String(), from: Type.String() }),
  /** To the chat's members; `record` is the entry the chat's call history now holds (absent if it could not be stored). */
  "call.ended": Type.Object({
    callId: Type.String(),
    chatId: Type.String(),
    reason: CallEndReasonSchema,
    durationMs: Type.Integer(),
    record: Type.Optional(CallRecordSchema),
  }),
  "call.participant_joined": Type.Object({ callId: Type.String(), participant: ParticipantSchema }),
  "call.participant_left": Type.Object({
    callId: Type.String(),
    userId: Type.String(),
    reason: Type.Union([Type.Literal("left"), Type.Literal("removed"), Type.Literal("lost"), Type.Literal("rejoined")]),
  }),
  "call.participant_updated": Type.Object({ callId: Type.String(), participant: ParticipantSchema }),
  "call.producer_added": Type.Object({ callId: Type.String(), producer: ProducerInfoSchema }),
  "call.producer_removed": Type.Object({ callId: Type.String(), producerId: Type.String(), userId: Type.String() }),
  /** The media server lost your part of the call (worker restart): call.join again. */
  "call.rejoin_required": Type.Object({ callId: Type.String(), chatId: Type.String() }),
  /** The loudest participant right now (null: silence). */
  "call.speaker_changed": Type.Object({ callId: Type.String(), userId: Type.Union([Type.String(), Type.Null()]) }),
} as const;

export type CallEventType = keyof typeof callEvents;
export type CallEventData<T extends CallEventType> = Static<(typeof callEvents)[T]>;

/** Snapshot part of the calls module in `welcome.snapshot.calls`: live calls in your chats. */
export const CallsSnapshotSchema = Type.Object({ calls: Type.Array(CallInfoSchema) });
export type CallsSnapshot = Static<typeof CallsSnapshotSchema>;
