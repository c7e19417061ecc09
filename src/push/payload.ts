// The JSON inside a push (PushPayloadSchema), bounded: title and body are cut so the
// whole stays within limits.pushPayloadBytesMax. Texts are English fallbacks; clients
// localize from kind and count (a service worker may ignore title/body entirely).
import { createHash } from "node:crypto";
import { limits } from "../limits.ts";
import type { PushPayload } from "../protocol/methods/push.ts";

export const APP_TITLE = "Hearth";

const cut = (s: string, max: number) => {
  const cps = [...s];
  return cps.length <= max ? s : `${cps.slice(0, max - 1).join("")}…`;
};

export interface MessageFacts {
  chatId: string;
  chatTitle: string; // the chat's title, or the sender's name in a direct chat
  senderName: string;
  senderId: string;
  messageId: string;
  seq: number;
  text: string;
  group: boolean; // body names the sender (groups; not direct chats, not channels, which speak as themselves)
  direct: boolean; // a direct chat: every message is urgent
  at: number;
}

export function messagePayload(f: MessageFacts, count: number, hideContent: boolean): PushPayload {
  const base = { v: 1 as const, kind: "message" as const, chatId: f.chatId, count, url: `/chat/${encodeURIComponent(f.chatId)}`, tag: `chat:${f.chatId}`, at: f.at };
  if (hideContent) return contentFree(base);
  const text = count > 1 ? `${count} new messages` : f.group ? `${f.senderName}: ${f.text}` : f.text;
  const p: PushPayload = { ...base, title: cut(f.chatTitle, 100), body: cut(text, limits.pushBodyCharsMax), senderId: f.senderId, messageId: f.messageId, seq: f.seq };
  return fit(p);
}

/** What a push says without content: no sender, no text (hideContent, or after a 413). */
export function contentFree(p: Pick<PushPayload, "v" | "kind" | "chatId" | "count" | "url" | "tag" | "at" | "callId" | "missed">): PushPayload {
  return { v: 1, kind: p.kind, chatId: p.chatId, count: p.count, url: p.url, tag: p.tag, at: p.at, title: APP_TITLE, body: "", ...(p.callId ? { callId: p.callId } : {}), ...(p.missed ? { missed: true } : {}) };
}

export function callPayload(f: { callId: string; chatId: string; callerName: string; at: number; missed?: boolean }, hideContent: boolean): PushPayload {
  const url = f.missed ? `/chat/${encodeURIComponent(f.chatId)}` : `/chat/${encodeURIComponent(f.chatId)}/call`;
  const base = { v: 1 as const, kind: "call" as const, chatId: f.chatId, count: 1, url, tag: `call:${f.callId}`, at: f.at, callId: f.callId, ...(f.missed ? { missed: true } : {}) };
  if (hideContent) return contentFree(base);
  return fit({ ...base, title: cut(f.callerName, 100), body: f.missed ? "Missed call" : "" });
}

export const testPayload = (at: number): PushPayload => ({ v: 1, kind: "test", chatId: null, title: APP_TITLE, body: "Test notification", count: 1, url: "/settings", tag: "test", at });

/** Shortens the body until the JSON fits (titles are already short). */
function fit(p: PushPayload): PushPayload {
  let body = p.body;
  while (new TextEncoder().encode(JSON.stringify({ ...p, body })).length > limits.pushPayloadBytesMax && body.length > 0) {
    body = cut(body, Math.max(1, Math.floor([...body].length / 2)));
    if (body === "…") body = "";
  }
  return { ...p, body };
}

/** RFC 8030 Topic: at most 32 base64url characters; chat ids usually are one, others are hashed. */
export function topicFor(chatId: string): string {
  if (chatId.length <= limits.pushTopicCharsMax && /^[A-Za-z0-9_-]+$/.test(chatId)) return chatId;
  return createHash("sha256").update(chatId).digest("base64url").slice(0, limits.pushTopicCharsMax);
}
