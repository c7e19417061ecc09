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
import { type MethodDef, bind } from "../core/module.ts";
import { blockList, blockUser, unblockUser } from "./blocks.ts";
import { createLink, joinByLink, linkPreview, listLinks, revokeLink } from "./invite-links.ts";

export function featureMethodDefs(deps: Deps): MethodDef[] {
  return [
    bind("chat.link_create", (x, p) => createLink(deps, x.userId, p)),
    bind("chat.link_list", (x, p) => listLinks(deps, x.userId, p.chatId)),
    bind("chat.link_revoke", (x, p) => revokeLink(deps, x.userId, p)),
    bind("chat.join_by_link", (x, p) => joinByLink(deps, x.userId, p.code)),
    bind("chat.link_preview", (_x, p) => linkPreview(deps, p.code)),
    bind("user.block", (x, p) => blockUser(deps, x.userId, p.userId)),
    bind("user.unblock", (x, p) => unblockUser(deps, x.userId, p.userId)),
    bind("user.block_list", (x, p) => blockList(deps, x.userId, p)),
    bind("reaction.toggle", (x, p) => toggleReaction(deps, x.userId, p)),
    bind("reaction.list", (x, p) => listReactors(deps, x.userId, p)),
    bind("message.pin", (x, p) => pinMessage(deps, x.userId, p)),
    bind("message.unpin", (x, p) => unpinMessage(deps, x.userId, p)),
    bind("message.list_pinned", (x, p) => pinnedMessages(deps, x.userId, p.chatId)),
    bind("draft.save", (x, p) => saveDraft(deps, x.userId, p)),
  ];
}
