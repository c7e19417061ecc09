// WS methods of the chat features: invite links, blocks, reactions, pins and drafts. Schemas in
// src/protocol/methods/{invite-links,blocks,reactions,drafts}.ts; each use case authorizes through access.ts.
import { saveDraft } from "../drafts/drafts.ts";
import { pinMessage, pinnedMessages, unpinMessage } from "../messages/pins.ts";
import { listReactors, toggleReaction } from "../messages/reactions.ts";
import { blockMethods as b } from "../protocol/methods/blocks.ts";
import { draftMethods as d } from "../protocol/methods/drafts.ts";
import { inviteLinkMethods as l } from "../protocol/methods/invite-links.ts";
import { reactionMethods as r } from "../protocol/methods/reactions.ts";
import type { Deps } from "../core/deps.ts";
import { type MethodDef, method } from "../core/module.ts";
import { blockList, blockUser, unblockUser } from "./blocks.ts";
import { createLink, joinByLink, linkPreview, listLinks, revokeLink } from "./invite-links.ts";

export function featureMethodDefs(deps: Deps): MethodDef<any, any>[] {
  return [
    method({ name: "chat.invite_create", params: l["chat.invite_create"].params, handler: (x, p) => createLink(deps, x.userId, p) }),
    method({ name: "chat.invite_list", params: l["chat.invite_list"].params, handler: (x, p) => listLinks(deps, x.userId, p.chatId) }),
    method({ name: "chat.invite_revoke", params: l["chat.invite_revoke"].params, handler: (x, p) => revokeLink(deps, x.userId, p) }),
    method({ name: "chat.join_by_link", params: l["chat.join_by_link"].params, handler: (x, p) => joinByLink(deps, x.userId, p.code) }),
    method({ name: "chat.link_preview", params: l["chat.link_preview"].params, handler: (_x, p) => linkPreview(deps, p.code) }),
    method({ name: "user.block", params: b["user.block"].params, handler: (x, p) => blockUser(deps, x.userId, p.userId) }),
    method({ name: "user.unblock", params: b["user.unblock"].params, handler: (x, p) => unblockUser(deps, x.userId, p.userId) }),
    method({ name: "user.block_list", params: b["user.block_list"].params, handler: (x, p) => blockList(deps, x.userId, p) }),
    method({ name: "reaction.toggle", params: r["reaction.toggle"].params, handler: (x, p) => toggleReaction(deps, x.userId, p) }),
    method({ name: "reaction.list", params: r["reaction.list"].params, handler: (x, p) => listReactors(deps, x.userId, p) }),
    method({ name: "message.pin", params: r["message.pin"].params, handler: (x, p) => pinMessage(deps, x.userId, p) }),
    method({ name: "message.unpin", params: r["message.unpin"].params, handler: (x, p) => unpinMessage(deps, x.userId, p) }),
    method({ name: "message.pinned", params: r["message.pinned"].params, handler: (x, p) => pinnedMessages(deps, x.userId, p.chatId) }),
    method({ name: "draft.save", params: d["draft.save"].params, handler: (x, p) => saveDraft(deps, x.userId, p) }),
  ];
}
