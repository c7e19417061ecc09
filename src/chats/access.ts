// The ONE place that decides what a user may do in a chat. Every chat and message
// command asks `can` (through requireRight / requireChat / the AccessChecks handed to
// storage), so the matrix below is the whole policy. A user without a membership sees
// nothing: `not_found`, the same answer as for a chat that does not exist (Campfire's
// "scope the query to the user"). A member lacking a right gets `forbidden`. Blocks are
// part of the policy (a blocked user reaches the blocker with nothing: `blocked`), and so
// is consent to being added to a group or channel (`mayAdd`).
import { AppError, forbidden, notFound } from "../errors.ts";
import { limits } from "../limits.ts";
import { admits } from "../presence/visibility.ts";
import type { AccessContext, AddCheck, Chat, MemberRole, Membership, Message } from "../storage/chats-port.ts";
import type { Storage } from "../storage/port.ts";

/** Actions that depend only on the actor. */
export type SimpleAction =
  | "read" // see the chat, its history, its read receipts where kept
  | "send"
  | "draft" // keep unsent text in the chat (wherever sending is allowed; reaches nobody, so a block does not stop it)
  | "mention_all"
  | "edit_info" // rename, describe
  | "list_members"
  | "add_members"
  | "delete_others" // delete someone else's message for everyone
  | "read_receipts" // who-has-read
  | "leave"
  | "personal" // mute, archive, pin, read pointer, delete for me
  | "call_join" // join the chat's call (and speak)
  | "call_camera" // send camera video in it
  | "call_screen" // share a screen in it
  | "react" // put or take back an emoji on a message
  | "list_reactors" // see who reacted (counts are part of reading)
  | "pin_message" // pin or unpin a message for everyone
  | "manage_links" // create, list and revoke invite links
  | "set_retention" // auto-delete after N days, the disappearing-messages timer
  | "import"; // bring another messenger's history in (src/imports/): it writes as other people, so owners and admins

/** Actions on another member: the answer depends on the target's role. */
export type TargetAction = { do: "remove_member" | "promote" | "demote"; target: MemberRole };

export type Action = SimpleAction | TargetAction;

export interface Actor {
  userId: string;
  membership: Membership | null;
  chat: Chat;
  /** A direct chat whose other person blocked the actor: they may read, not reach them. */
  blocked?: boolean;
  /** A direct chat whose other person the actor blocked: a call needs both, so no calls. */
  blocking?: boolean;
}

const CALLS: ReadonlySet<Action> = new Set<Action>(["call_join", "call_camera", "call_screen"]);
/** What a blocked user may not do in the blocker's direct chat: anything that reaches them. */
const REACHES_PEER: ReadonlySet<Action> = new Set<Action>(["send", "react", "pin_message", "set_retention", ...CALLS]);

const isAdmin = (role: MemberRole) => role === "owner" || role === "admin";

export function can(actor: Actor, action: Action): boolean {
  const m = actor.membership;
  if (!m || m.chatId !== actor.chat.id || m.userId !== actor.userId) return false;
  switch (actor.chat.kind) {
    case "direct":
    case "saved":
      if (actor.blocked && REACHES_PEER.has(action)) return false;
      if (actor.blocking && CALLS.has(action)) return false;
      return directRights(actor.chat, action);
    case "group":
      return groupRights(actor.chat, m.role, action, false);
    case "channel":
      return groupRights(actor.chat, m.role, action, true);
    case "space_channel":
      // Rights come from space roles once spaces exist; closed until then.
      return false;
  }
}

// Two people (or one, saved): everything personal and sending; no roles, no
// membership changes, nobody deletes the other's messages.
function directRights(chat: Chat, action: Action): boolean {
  if (typeof action !== "string") return false;
  switch (action) {
    case "read":
    case "send":
    case "draft":
    case "list_members":
    case "personal":
    case "react":
    case "list_reactors":
    case "pin_message": // both people pin in a direct chat
    case "set_retention": // either person sets the timer, as in Signal and WhatsApp
      return true;
    case "read_receipts":
      return chat.kind === "direct";
    case "call_join":
    case "call_camera":
    case "call_screen":
      return chat.kind === "direct"; // nobody to call in saved messages
    default:
      return false;
  }
}

// Groups and channels share roles; a channel differs in who posts and who sees the
// subscriber list. Owners rule admins; admins rule members; the owner cannot leave
// (ownership transfer comes later) unless nobody else is left.
function groupRights(chat: Chat, role: MemberRole, action: Action, channel: boolean): boolean {
  if (typeof action !== "string") return targetRights(role, action);
  switch (action) {
    case "read":
    case "personal":
      return true;
    case "send":
    case "draft":
      return channel ? isAdmin(role) : true;
    case "list_members":
      return channel ? isAdmin(role) : true;
    case "mention_all":
    case "edit_info":
    case "add_members":
    case "delete_others":
      return isAdmin(role);
    case "read_receipts":
      return !channel && chat.memberCount <= limits.readReceiptsMembersMax;
    case "leave":
      return role !== "owner" || chat.memberCount <= 1;
    case "call_join":
    case "react":
      return true;
    case "list_reactors": // in a channel who reacted would list subscribers: as list_members
      return channel ? isAdmin(role) : true;
    case "pin_message":
    case "manage_links":
    case "set_retention":
    case "import":
      return isAdmin(role);
    case "call_camera":
    case "call_screen":
      return channel ? isAdmin(role) : true; // a channel's call is a broadcast: subscribers listen and talk
  }
}

function targetRights(role: MemberRole, action: TargetAction): boolean {
  if (action.target === "owner") return false;
  switch (action.do) {
    case "remove_member":
      return role === "owner" || (role === "admin" && action.target === "member");
    case "promote":
      return role === "owner" && action.target === "member";
    case "demote":
      return role === "owner" && action.target === "admin";
  }
}

/** Throws not_found for a non-member, blocked or forbidden for a member without the right. */
export function requireRight(actor: Actor, action: Action): void {
  if (!actor.membership) throw chatNotFound();
  if (can(actor, action)) return;
  if (actor.blocked && can({ ...actor, blocked: false }, action)) throw new AppError("blocked", "This person blocked you");
  if (actor.blocking && can({ ...actor, blocking: false }, action)) throw forbidden("You blocked this person: unblock them to call");
  throw forbidden(describe(action));
}

/**
 * Adding someone to a group or channel (at creation or later) needs their consent as their
 * "who may add me" setting states, and never succeeds for someone who blocked the adder.
 * The refusal names who could not be added but not why, so a block stays private.
 */
export const mayAdd: AddCheck = (candidates) => {
  const refused = candidates.filter((c) => c.blockedActor || !admits(c.groupAdd, c.sharesChat ? "contact" : "stranger")).map((c) => c.userId);
  if (refused.length > 0) throw new AppError("privacy_restricted", "Some of these people cannot be added by you", { userIds: refused });
};

/** Anyone holding a valid link may join a group or channel; other kinds have no links. */
export const joinableByLink = (chat: Chat) => chat.kind === "group" || chat.kind === "channel";

/** Reads the chat scoped to the user and checks the action. */
export async function requireChat(storage: Storage, userId: string, chatId: string, action: Action = "read"): Promise<{ chat: Chat; membership: Membership }> {
  const view = await storage.chats.view(chatId, userId);
  if (!view?.membership) throw chatNotFound();
  // Writes learn of a block inside their transaction (AccessContext); commands without a
  // write (typing, calls) must ask here, or a blocked user could still reach the blocker.
  const peer = view.chat.kind === "direct" && REACHES_PEER.has(action) ? await peerOf(storage, chatId, userId) : null;
  const blocked = peer !== null && (await storage.chats.isBlocked(peer, userId));
  const blocking = peer !== null && CALLS.has(action) && (await storage.chats.isBlocked(userId, peer));
  requireRight({ userId, chat: view.chat, membership: view.membership, blocked, blocking }, action);
  return { chat: view.chat, membership: view.membership };
}

async function peerOf(storage: Storage, chatId: string, userId: string): Promise<string | null> {
  return (await storage.chats.members(chatId, { limit: 2 })).find((m) => m.userId !== userId)?.userId ?? null;
}

/**
 * An AccessCheck for storage: the same rule, re-applied inside the transaction. An
 * action on another member gets the target's membership; a target who is not a member
 * is `not_found` (told only to members).
 */
export const checkFor =
  (userId: string, action: Action | ((target: Membership) => Action)) =>
  (chat: Chat, membership: Membership | null, target?: Membership | null, ctx?: AccessContext): void => {
    const actor = { userId, chat, membership, blocked: ctx?.blockedByPeer };
    if (typeof action !== "function") return requireRight(actor, action);
    requireRight(actor, "read");
    if (!target) throw notFound("Member not found");
    requireRight(actor, action(target));
  };

/** Edits are the author's (who must still be allowed to send); deletes, the author's or an admin's. */
export const checkMessage =
  (userId: string, what: "edit" | "delete" | "delete_for_me" | "react" | "pin_message") =>
  (chat: Chat, membership: Membership | null, message: Message, ctx?: AccessContext): void => {
    const actor = { userId, chat, membership, blocked: ctx?.blockedByPeer };
    requireRight(actor, "read");
    if (message.deletedAt !== null) throw new AppError("not_found", "Message not found");
    const own = message.senderId === userId;
    if (what === "delete_for_me") return;
    if (what === "react" || what === "pin_message") return requireRight(actor, what);
    if (what === "edit") {
      if (!own) throw forbidden("Only the author can edit a message");
      if (message.forward) throw forbidden("A forwarded message cannot be edited");
      // its sender may be the importer standing in for someone else (a placeholder)
      if (message.imported) throw forbidden("An imported message cannot be edited");
      requireRight(actor, "send");
      return;
    }
    if (!own) requireRight(actor, "delete_others");
  };

export const chatNotFound = () => notFound("Chat not found");

function describe(action: Action): string {
  if (typeof action !== "string") return `You may not ${action.do.replace("_", " ")} a chat ${action.target}`;
  return `You may not ${action.replace("_", " ")} in this chat`;
}
