// Chat-list events: new chats, renames, membership, your own flags (mute/archive/pin) and drafts.
import type { ChatEntry, MySettings, WireChat, WireDraft, WireMember } from "../../../src/protocol/methods/chats.ts";
import type { State } from "./state.ts";

export function applyChatEvent(s: State, type: string, d: Record<string, unknown>): boolean {
  switch (type) {
    case "chat.created":
    case "chat.joined": {
      // the entry is the chat's state at its pos: what the chat log brings next follows from there
      const entry = d.entry as ChatEntry & { pos?: number };
      s.chats[entry.chat.id] = typeof d.pos === "number" ? { ...entry, pos: d.pos } : entry;
      return true;
    }
    case "chat.left":
      dropChat(s, d.chatId as string);
      return true;
    case "chat.updated":
    case "chat.retention_changed": // the announcement itself is kept by retention/retention.ts
      updateChat(s, d.chat as WireChat);
      return true;
    case "chat.member_added": {
      const entry = d.entry as ChatEntry | undefined;
      if (entry) s.chats[entry.chat.id] = entry;
      else updateChat(s, d.chat as WireChat);
      return true;
    }
    case "chat.member_removed": {
      const chat = d.chat as WireChat;
      if (s.me && (d.userIds as string[]).includes(s.me.id)) dropChat(s, chat.id);
      else updateChat(s, chat);
      return true;
    }
    case "chat.member_updated": {
      const entry = s.chats[d.chatId as string];
      const member = d.member as WireMember;
      if (entry && d.me) entry.me = d.me as MySettings;
      else if (entry && member.userId === s.me?.id) entry.me.role = member.role;
      return true;
    }
    case "chat.imported": {
      // many messages at once (chat.import, chat.import_map): the loaded window is stale
      const entry = s.chats[(d.chat as WireChat).id];
      if (!entry) return true;
      entry.chat = d.chat as WireChat;
      if (d.lastMessage) entry.lastMessage = d.lastMessage as ChatEntry["lastMessage"];
      delete s.windows[entry.chat.id];
      return true;
    }
    case "draft.updated": {
      const entry = s.chats[d.chatId as string];
      if (entry && d.draft) entry.draft = d.draft as WireDraft;
      else if (entry) delete entry.draft;
      return true;
    }
    default:
      return false;
  }
}

function updateChat(s: State, chat: WireChat): void {
  const entry = s.chats[chat.id];
  if (entry) entry.chat = chat;
}

function dropChat(s: State, chatId: string): void {
  delete s.chats[chatId];
  delete s.windows[chatId];
  delete s.peerRead[chatId];
  delete s.typing[chatId];
  delete s.pins[chatId];
}
