// The event catalog: every event type ("noun.past") and the schema of its data,
// aggregated from one file per domain (events/<domain>.ts exports a record
// type → TypeBox schema of data), the same pattern as methods/index.ts.
import type { Static, TSchema } from "@sinclair/typebox";
import { accountEvents } from "./events/accounts.ts";
import { callEvents } from "./events/calls.ts";
import { chatEvents } from "./events/chats.ts";
import { pushEvents } from "./events/push.ts";

export const eventTypes = { ...accountEvents, ...chatEvents, ...callEvents, ...pushEvents } as const satisfies Record<string, TSchema>;

export type EventTypes = typeof eventTypes;
export type EventType = keyof EventTypes & string;
export type EventDataOf<E extends EventType> = Static<EventTypes[E]>;
