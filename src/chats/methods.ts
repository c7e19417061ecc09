// The chat and message WS methods: schemas from src/protocol/methods/{chats,messages}.ts,
// use cases in this folder and src/messages/. Each use case authorizes through access.ts.
import { deleteMessage, editHistory, editMessage } from "../messages/change.ts";
import { listMessages, listReaders, updateRead } from "../messages/read.ts";
import { forwardMessage, sendMessage } from "../messages/send.ts";
import { chatMethods as chats } from "../protocol/methods/chats.ts";
import { messageMethods as msgs } from "../protocol/methods/messages.ts";
import type { Deps } from "../core/deps.ts";
import { type MethodDef, method } from "../core/module.ts";
import { createChat } from "./create.ts";
import { editChatInfo, getChat, listChats, setFlags } from "./manage.ts";
import { addMembers, leaveChat, listMembers, removeMember, setMemberRole } from "./members.ts";

export function chatMethodDefs(deps: Deps): MethodDef<any, any>[] {
  const c = chats;
  return [
    method({ name: "chat.create", params: c["chat.create"].params, handler: (x, p) => createChat(deps, x.userId, p) }),
    method({ name: "chat.get", params: c["chat.get"].params, handler: (x, p) => getChat(deps, x.userId, p.chatId) }),
    method({ name: "chat.list", params: c["chat.list"].params, handler: (x, p) => listChats(deps, x.userId, p) }),
    method({ name: "chat.rename", params: c["chat.rename"].params, handler: (x, p) => editChatInfo(deps, x.userId, p.chatId, { title: p.title }) }),
    method({
      name: "chat.describe",
      params: c["chat.describe"].params,
      handler: (x, p) => editChatInfo(deps, x.userId, p.chatId, { description: p.description }),
    }),
    method({ name: "chat.mute", params: c["chat.mute"].params, handler: (x, p) => setFlags(deps, x.userId, p.chatId, { muted: p.muted }) }),
    method({ name: "chat.archive", params: c["chat.archive"].params, handler: (x, p) => setFlags(deps, x.userId, p.chatId, { archived: p.archived }) }),
    method({ name: "chat.pin", params: c["chat.pin"].params, handler: (x, p) => setFlags(deps, x.userId, p.chatId, { pinned: p.pinned }) }),
    method({ name: "member.list", params: c["member.list"].params, handler: (x, p) => listMembers(deps, x.userId, p) }),
    method({ name: "member.add", params: c["member.add"].params, handler: (x, p) => addMembers(deps, x.userId, p.chatId, p.userIds) }),
    method({ name: "member.remove", params: c["member.remove"].params, handler: (x, p) => removeMember(deps, x.userId, p.chatId, p.userId) }),
    method({ name: "member.leave", params: c["member.leave"].params, handler: (x, p) => leaveChat(deps, x.userId, p.chatId) }),
    method({ name: "member.promote", params: c["member.promote"].params, handler: (x, p) => setMemberRole(deps, x.userId, p.chatId, p.userId, "admin") }),
    method({ name: "member.demote", params: c["member.demote"].params, handler: (x, p) => setMemberRole(deps, x.userId, p.chatId, p.userId, "member") }),
  ];
}

export function messageMethodDefs(deps: Deps): MethodDef<any, any>[] {
  const m = msgs;
  return [
    method({ name: "message.send", params: m["message.send"].params, handler: (x, p) => sendMessage(deps, x.userId, p) }),
    method({ name: "message.forward", params: m["message.forward"].params, handler: (x, p) => forwardMessage(deps, x.userId, p) }),
    method({ name: "message.edit", params: m["message.edit"].params, handler: (x, p) => editMessage(deps, x.userId, p) }),
    method({ name: "message.edit_history", params: m["message.edit_history"].params, handler: (x, p) => editHistory(deps, x.userId, p) }),
    method({ name: "message.delete", params: m["message.delete"].params, handler: (x, p) => deleteMessage(deps, x.userId, p) }),
    method({ name: "message.list", params: m["message.list"].params, handler: (x, p) => listMessages(deps, x.userId, p) }),
    method({ name: "read.update", params: m["read.update"].params, handler: (x, p) => updateRead(deps, x.userId, p) }),
    method({ name: "read.list", params: m["read.list"].params, handler: (x, p) => listReaders(deps, x.userId, p) }),
  ];
}
