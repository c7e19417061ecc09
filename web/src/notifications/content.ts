// What a notification says (unit-tested): the title is the chat (a direct chat: the person),
// the body "Sender: text" in groups and the text alone in a direct chat; with "hide message
// content" only that there is something. One tag per chat, so a newer one replaces the older.
import { plainText } from "../messages/markdown.ts";
import { truncate } from "../ui/text.ts";
import { routePath } from "../home/routes.ts";

export const bodyCharsMax = 180; // graphemes of message text in a notification

export interface Shown {
  title: string;
  body: string;
  tag: string;
  url: string;
  chatId: string;
  kind: "message" | "call";
  seq?: number; // the message's: reading up to it closes the notification, reading less does not
}

export const tagOf = (chatId: string) => `chat:${chatId}`;

export interface MessageInfo {
  chatId: string;
  seq: number;
  chatKind: string;
  chatTitle: string; // for direct chats the peer's name
  senderName: string;
  text: string;
  hideContent: boolean;
  words: { newMessage: string; attachment: string };
}

export function messageNotification(m: MessageInfo): Shown {
  const text = truncate(plainText(m.text), bodyCharsMax) || m.words.attachment;
  const direct = m.chatKind === "direct" || m.chatKind === "saved";
  const body = m.hideContent ? m.words.newMessage : direct ? text : `${m.senderName}: ${text}`;
  return { title: m.chatTitle, body, tag: tagOf(m.chatId), url: routePath({ kind: "chat", chatId: m.chatId, view: "chat" }), chatId: m.chatId, kind: "message", seq: m.seq };
}

export function callNotification(chatId: string, title: string, body: string): Shown {
  return { title, body, tag: tagOf(chatId), url: routePath({ kind: "chat", chatId, view: "chat" }), chatId, kind: "call" };
}
