// Typed event drafts for chats and messages: the type checker holds each event's data
// to its wire schema (src/protocol/events/chats.ts).
import type { ChatEventData, ChatEventType } from "../protocol/events/chats.ts";
import type { EventDraft } from "../storage/port.ts";

export const draft = <T extends ChatEventType>(to: readonly string[], type: T, data: ChatEventData<T>): EventDraft => ({ to, type, data });

/** Drops drafts with nobody to tell (the store would write nothing for them anyway). */
export const someone = (drafts: EventDraft[]): EventDraft[] => drafts.filter((d) => d.to.length > 0);

export const except = (ids: readonly string[], ...skip: string[]): string[] => ids.filter((id) => !skip.includes(id));
