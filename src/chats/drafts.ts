// Typed event drafts for chats and messages: the type checker holds each event's data
// to its wire schema (src/protocol/events/chats.ts). `draft` goes to named users' own
// logs; `chatDraft` is stored once in the chat's log and must carry nothing member-specific.
import type { ChatEventData, ChatEventType } from "../protocol/events/chats.ts";
import type { ChatLogDraft, EventDraft } from "../storage/port.ts";

export const draft = <T extends ChatEventType>(to: readonly string[], type: T, data: ChatEventData<T>): EventDraft => ({ to, type, data });

export const chatDraft = <T extends ChatEventType>(chat: string, type: T, data: ChatEventData<T>): ChatLogDraft => ({ chat, type, data });

/** A user-log event that tells where its recipients stand in the chat's log: the store sets data.pos (and data.entry.pos). */
export const posDraft = <T extends "chat.joined" | "chat.left" | "chat.created">(to: readonly string[], chatId: string, type: T, data: ChatEventData<T>): EventDraft => ({
  to,
  type,
  data,
  chatPos: chatId,
});

/** Drops drafts with nobody to tell (the store would write nothing for them anyway). */
export const someone = <D extends EventDraft | ChatLogDraft>(drafts: D[]): D[] => drafts.filter((d) => !("to" in d) || d.to.length > 0);

export const except = (ids: readonly string[], ...skip: string[]): string[] => ids.filter((id) => !skip.includes(id));
