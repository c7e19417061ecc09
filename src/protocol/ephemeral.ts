// Ephemeral notices: typing and presence. They travel in `ephemeral` frames, never in
// the per-user event queues — they carry no id, are not acknowledged, are not replayed
// on resume (they would be stale), and a connection under backpressure drops them
// rather than closing. After a reconnect a client re-reads presence from the welcome
// snapshot (or presence.get) and forgets typing indicators.
import { type Static, Type } from "@sinclair/typebox";
import { PresenceSchema } from "./methods/presence.ts";

export const ephemeralTypes = {
  /** Someone in chatId started (typing: true, for expiresInMs unless repeated) or stopped typing. */
  "typing.changed": Type.Object({
    chatId: Type.String(),
    userId: Type.String(),
    typing: Type.Boolean(),
    expiresInMs: Type.Optional(Type.Integer()),
  }),
  /** Presence of people you share a chat with changed; coalesced, at most one per user per window. */
  "presence.changed": Type.Object({ users: Type.Array(PresenceSchema) }),
} as const;

export type EphemeralType = keyof typeof ephemeralTypes & string;
export type EphemeralDataOf<T extends EphemeralType> = Static<(typeof ephemeralTypes)[T]>;
