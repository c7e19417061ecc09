// The event catalog: every event type ("noun.past") and the schema of its data,
// aggregated from one file per domain (src/protocol/events/<domain>.ts exporting a
// record type → EventSpec), the same pattern as methods/index.ts.
import type { Static, TSchema } from "@sinclair/typebox";

export interface EventSpec {
  data: TSchema;
}

export const eventTypes = {} as const satisfies Record<string, EventSpec>;

export type EventTypes = typeof eventTypes;
export type EventType = keyof EventTypes & string;
export type EventDataOf<E extends EventType> = Static<EventTypes[E]["data"]>;
