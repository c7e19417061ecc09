// Invite links of groups and channels. The code is HMAC(invite-code-key, chat, creator,
// clientId), as for account invites: a retried create returns the same code although
// only its hash is stored. Admins hear of link changes; joining is a member_added in the
// chat's log and a chat.joined for the one who joined.
import { createHmac } from "node:crypto";
import { publicBaseUrl } from "../accounts/registration.ts";
import { AppError, invalidField } from "../errors.ts";
import { publishCommitted } from "../events/publish.ts";
import { hashToken, newId } from "../ids.ts";
import { limits } from "../limits.ts";
import type { InviteLinkParams, InviteLinkResult } from "../protocol/methods/invite-links.ts";
import type { Deps } from "../core/deps.ts";
import type { AccessCheck, LinkChanged } from "../storage/chats-port.ts";
import { can, checkFor, joinableByLink, requireChat } from "./access.ts";
import { draft } from "./drafts.ts";
import { addedDrafts } from "./members.ts";
import { chatEntry, committedEntry } from "./views.ts";

function linkCode(deps: Deps, chatId: string, userId: string, clientId: string): string {
  const mac = createHmac("sha256", deps.secrets.get("invite-code-key")).update(`chat-link\0${chatId}\0${userId}\0${clientId}`).digest();
  return mac.subarray(0, 16).toString("base64url"); // 128 bits
}

const linkUrl = (deps: Deps, code: string) => `${publicBaseUrl(deps)}/join#${code}`;
const changedDrafts = (r: LinkChanged) => (r.changed ? [draft(r.adminIds, "chat.link_changed", { link: r.link })] : []);

function validateBounds(p: { expiresInMs?: number; maxUses?: number }): void {
  if (p.maxUses !== undefined && p.maxUses > limits.chatInviteLinkUsesMax) throw invalidField("maxUses", `must be at most ${limits.chatInviteLinkUsesMax}`);
  if (p.expiresInMs !== undefined && p.expiresInMs > limits.chatInviteLinkTtlMsMax) throw invalidField("expiresInMs", "must be at most one year");
}

export async function createLink(deps: Deps, userId: string, p: InviteLinkParams<"chat.link_create">): Promise<InviteLinkResult<"chat.link_create">> {
  validateBounds(p);
  const now = deps.now();
  const code = linkCode(deps, p.chatId, userId, p.clientId);
  const input = {
    id: newId(now),
    chatId: p.chatId,
    codeHash: hashToken(code),
    createdBy: userId,
    createdAt: now,
    expiresAt: p.expiresInMs === undefined ? null : now + p.expiresInMs,
    maxUses: p.maxUses ?? null,
  };
  const done = await deps.storage.chats.createLink(input, checkFor(userId, "manage_links"), {
    emit: changedDrafts,
    idempotency: { userId, key: `chat.invite_create:${p.chatId}:${p.clientId}`, method: "chat.link_create" },
  });
  await publishCommitted(deps, done);
  return { link: done.value.link, code, url: linkUrl(deps, code) };
}

export async function listLinks(deps: Deps, userId: string, chatId: string) {
  await requireChat(deps.storage, userId, chatId, "manage_links");
  return { links: await deps.storage.chats.links(chatId) };
}

export async function revokeLink(deps: Deps, userId: string, p: InviteLinkParams<"chat.link_revoke">) {
  const done = await deps.storage.chats.revokeLink(p.chatId, p.linkId, userId, checkFor(userId, "manage_links"), deps.now(), { emit: changedDrafts });
  await publishCommitted(deps, done);
  return { link: done.value.link };
}

const invalid = () => new AppError("invalid_invite", "This invite link is not valid");

/** The link admits people while it leads to a group or channel and its creator may still manage links. */
const creatorCheck: AccessCheck = (chat, creator) => {
  if (!joinableByLink(chat) || !creator || !can({ userId: creator.userId, chat, membership: creator }, "manage_links")) throw invalid();
};

export async function linkPreview(deps: Deps, code: string): Promise<InviteLinkResult<"chat.link_preview">> {
  const found = await deps.storage.chats.linkByCode(hashToken(code), deps.now());
  if (!found) throw invalid();
  const creator = (await deps.storage.chats.view(found.chat.id, found.link.createdBy))?.membership ?? null;
  creatorCheck(found.chat, creator);
  const { kind, title, description, memberCount } = found.chat;
  return { kind, title, description, memberCount };
}

export async function joinByLink(deps: Deps, userId: string, code: string): Promise<InviteLinkResult<"chat.join_by_link">> {
  const done = await deps.storage.chats.joinByLink(hashToken(code), userId, deps.now(), creatorCheck, {
    emit: (r) => (r.joined ? addedDrafts(r) : []),
    membersMax: deps.config.chats.groupMembersMax,
  });
  await publishCommitted(deps, done);
  const { chat, joined } = done.value;
  const mine = joined ? committedEntry(done.events, userId, "chat.joined") : null;
  if (mine) return { entry: mine, joined };
  const entry = await deps.storage.chats.entryFor(chat.id, userId);
  if (!entry) throw invalid(); // left again in between
  return { entry: chatEntry(entry), joined };
}
