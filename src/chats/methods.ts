// The chat and message WS methods: schemas from src/protocol/methods/{chats,messages}.ts,
// use cases in this folder and src/messages/. Each use case authorizes through access.ts.
import { deleteMessage, editHistory, editMessage } from "../messages/change.ts";
import { listMedia, listMessages, listReaders, updateRead } from "../messages/read.ts";
import { forwardMessage, sendMessage } from "../messages/send.ts";
import { chatMethods as chats } from "../protocol/methods/chats.ts";
import { messageMethods as msgs } from "../protocol/methods/messages.ts";
import type { Deps } from "../core/deps.ts";
import { type MethodDef, bind } from "../core/module.ts";
import { createChat } from "./create.ts";
import { chatDifference } from "./difference.ts";
import { editChatInfo, getChat, listChats, setFlags, setRetention } from "./manage.ts";
import { addMembers, leaveChat, listMembers, removeMember, setMemberRole } from "./members.ts";

export function chatMethodDefs(deps: Deps): MethodDef[] {
  const c = chats;
  return [
    bind("chat.create", (x, p) => createChat(deps, x.userId, p)),
    bind("chat.get", (x, p) => getChat(deps, x.userId, p.chatId)),
    bind("chat.list", (x, p) => listChats(deps, x.userId, p)),
    bind("chat.rename", (x, p) => editChatInfo(deps, x.userId, p.chatId, { title: p.title })),
    bind("chat.describe", (x, p) => editChatInfo(deps, x.userId, p.chatId, { description: p.description })),
    bind("chat.set_retention", (x, p) => setRetention(deps, x.userId, p)),
    bind("chat.mute", (x, p) => setFlags(deps, x.userId, p.chatId, { muted: p.muted })),
    bind("chat.archive", (x, p) => setFlags(deps, x.userId, p.chatId, { archived: p.archived })),
    bind("chat.pin", (x, p) => setFlags(deps, x.userId, p.chatId, { pinned: p.pinned })),
    bind("chat.difference", (x, p) => chatDifference(deps, x.userId, p.chatId, p.afterPos)),
    bind("member.list", (x, p) => listMembers(deps, x.userId, p)),
    bind("member.add", (x, p) => addMembers(deps, x.userId, p.chatId, p.userIds)),
    bind("member.remove", (x, p) => removeMember(deps, x.userId, p.chatId, p.userId)),
    bind("member.leave", (x, p) => leaveChat(deps, x.userId, p.chatId)),
    bind("member.promote", (x, p) => setMemberRole(deps, x.userId, p.chatId, p.userId, "admin")),
    bind("member.demote", (x, p) => setMemberRole(deps, x.userId, p.chatId, p.userId, "member")),
  ];
}

export function messageMethodDefs(deps: Deps): MethodDef[] {
  const m = msgs;
  return [
    bind("message.send", (x, p) => sendMessage(deps, x.userId, p)),
    bind("message.forward", (x, p) => forwardMessage(deps, x.userId, p)),
    bind("message.edit", (x, p) => editMessage(deps, x.userId, p)),
    bind("message.edit_history", (x, p) => editHistory(deps, x.userId, p)),
    bind("message.delete", (x, p) => deleteMessage(deps, x.userId, p)),
    bind("message.list", (x, p) => listMessages(deps, x.userId, p)),
    bind("message.list_media", (x, p) => listMedia(deps, x.userId, p)),
    bind("read.update", (x, p) => updateRead(deps, x.userId, p)),
    bind("read.list", (x, p) => listReaders(deps, x.userId, p)),
  ];
}
