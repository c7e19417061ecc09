// The chats-and-messages part of the storage port (see port.ts for the shared rules:
// use-case sized methods, one transaction each, WriteOpts emit/idempotency, typed errors).
//
// Authorization happens INSIDE each write transaction: every mutating method takes an
// `AccessCheck`, a pure function the adapter calls with the chat and memberships it
// just read in the same transaction. So a member removed a millisecond before their
// send is refused by the transaction itself, not by a stale pre-read (TIGER_STYLE:
// re-check preconditions after every await). The rules live in src/chats/access.ts.
//
// Recipients of events are computed inside the transaction too: results of rare changes
// carry `memberIds` (the chat's members at commit time) so WriteOpts.emit can address
// exactly the users who may see the change. Sends and reactions do not: their events go
// to the chat's log (issue #13), and reading every member of a 200,000-member group on
// each of them would cost what the log saves.
import type { LinkPreview } from "./previews-port.ts";
import type { Committed, WriteOpts } from "./port.ts";
import type { Visibility } from "./presence-port.ts";
import type { Avatar } from "./port.ts";
import type { NewMedia, StoredAttachment } from "./media-port.ts";

/** `saved` is the self-chat; `space_channel` gets its rights from space roles (later). */
export type ChatKind = "direct" | "saved" | "group" | "channel" | "space_channel";
/** In channels, `member` means subscriber. */
export type MemberRole = "owner" | "admin" | "member";

export interface Chat {
  id: string;
  kind: ChatKind;
  title: string; // empty for direct and saved chats: clients show the peer
  description: string;
  createdBy: string;
  createdAt: number;
  memberCount: number; // the subscriber count of a channel
  lastSeq: number; // seq of the newest message, 0 when none
  lastAt: number; // time of the newest message, or createdAt: orders the chat list
  spaceId: string | null; // space_channel only
  avatar?: Avatar; // groups and channels; absent: none
  autoDeleteDays?: number; // retention: messages older than this are deleted; absent: off
  disappearSeconds?: number; // disappearing messages: new messages expire this long after sending; absent: off
}

/** A retention change: a field absent keeps its value, null turns it off. */
export interface RetentionPatch {
  autoDeleteDays?: number | null;
  disappearSeconds?: number | null;
}

/** A member's row: role is public; read pointer and flags are private to the member. */
export interface Membership {
  chatId: string;
  userId: string;
  role: MemberRole;
  joinedAt: number;
  readSeq: number; // last read seq; everything after it (not mine, not hidden) is unread
  muted: boolean; // muted until unmuted (muteUntil === MUTE_FOREVER)
  archived: boolean;
  pinnedAt: number | null; // pinned chats sort first, by pin time
  // Notifications (src/push/): level, and muted until (ms epoch; MUTE_FOREVER = until unmuted; null = not muted).
  notifyLevel: NotifyLevel;
  muteUntil: number | null;
}

export type NotifyLevel = "all" | "mentions" | "none";

/** Your own flags; `muted` is shorthand for muteUntil MUTE_FOREVER / null. */
export interface FlagsPatch {
  muted?: boolean;
  archived?: boolean;
  pinned?: boolean;
  notifyLevel?: NotifyLevel;
  muteUntil?: number | null;
}

/** Who is in a chat, as every member may see it. */
export interface Member {
  userId: string;
  role: MemberRole;
  joinedAt: number;
}

/** What the store knows about the actor besides the membership, read in the same transaction. */
export interface AccessContext {
  blockedByPeer: boolean; // a direct chat whose other person blocked the actor
}

/** What the store tells an AddCheck about someone about to be added, read in the same transaction. */
export interface AddCandidate {
  userId: string;
  blockedActor: boolean; // they blocked the one adding them
  groupAdd: Visibility; // their "who may add me to groups" setting
  sharesChat: boolean; // they share a direct chat or group with the one adding them
}

/** Called by the adapter inside the write transaction with everyone it is about to add; throws to refuse. */
export type AddCheck = (candidates: AddCandidate[]) => void;

/** Called by the adapter inside the write transaction; throws AppError to refuse. */
export type AccessCheck = (chat: Chat, actor: Membership | null, target?: Membership | null, ctx?: AccessContext) => void;

export interface ChatView {
  chat: Chat;
  membership: Membership | null;
}

export interface MemberChange {
  chat: Chat;
  members: Member[]; // added, removed or updated
  memberIds: string[]; // current members after the change
  lastMessage: Message | null; // addMembers: the newest message, for the added members' chat entry
}

export interface ChatListEntry {
  chat: Chat;
  pos: number; // the chat's log_pos, read with the rest of the entry
  membership: Membership;
  peerId: string | null; // the other person of a direct chat; yourself in saved
  unreadCount: number;
  unreadMentionCount: number;
  hiddenUnread: number[]; // seqs of unread messages this user hid for themself, ascending (the newest ≤ limits.entryHiddenUnreadMax)
  lastMessage: Message | null; // newest message visible to this user, not deleted
  draft: Draft | null; // this user's unsent text in the chat
}

export interface NewChat {
  id: string;
  kind: "group" | "channel";
  title: string;
  description: string;
  ownerId: string;
  memberIds: string[]; // besides the owner; each must be an existing user
  now: number;
}

export interface ChatStore extends InviteLinkStore, BlockStore, DraftStore {
  /**
   * Direct chat of the pair (self-pair: saved chat); returns the existing one if any.
   * not_found: unknown peer; blocked: no chat yet and the peer blocked the user.
   */
  openDirect(input: { id: string; userId: string; peerId: string; now: number }, opts?: WriteOpts<ChatCreated>): Promise<Committed<ChatCreated>>;
  /** not_found: an unknown member; limit_exceeded: over the kind's size limit; mayAdd refuses whoever may not be added. */
  create(input: NewChat, mayAdd: AddCheck, opts?: WriteOpts<ChatCreated> & ChatSizeOpts): Promise<Committed<ChatCreated>>;
  /** The chat and this user's membership (null when not a member); null when no chat. */
  view(chatId: string, userId: string): Promise<ChatView | null>;
  /** The user's chats, most recently active first; `before` is the previous page's last (lastAt, id). */
  listForUser(userId: string, page: { limit: number; before?: { lastAt: number; chatId: string } }): Promise<ChatListEntry[]>;
  entryFor(chatId: string, userId: string): Promise<ChatListEntry | null>;
  members(chatId: string, page: { limit: number; afterUserId?: string }): Promise<Member[]>;
  /** Members among the given username keys (see usernameKey), for resolving mentions. */
  membersByUsername(chatId: string, usernameKeys: string[]): Promise<Map<string, string>>;
  update(chatId: string, actorId: string, patch: { title?: string; description?: string }, check: AccessCheck, now: number, opts?: WriteOpts<ChatUpdated>): Promise<Committed<ChatUpdated>>;
  /** Existing members are skipped (not in result.members, nor shown to mayAdd). */
  addMembers(
    chatId: string,
    actorId: string,
    userIds: string[],
    check: AccessCheck,
    mayAdd: AddCheck,
    now: number,
    opts?: WriteOpts<MemberChange> & ChatSizeOpts,
  ): Promise<Committed<MemberChange>>;
  /** Leaving is removing yourself; check gets the target's membership. result.memberIds includes the removed. */
  removeMember(chatId: string, actorId: string, targetId: string, check: AccessCheck, opts?: WriteOpts<MemberChange>): Promise<Committed<MemberChange>>;
  setRole(chatId: string, actorId: string, targetId: string, role: "admin" | "member", check: AccessCheck, opts?: WriteOpts<MemberChange>): Promise<Committed<MemberChange>>;
  /** Retention settings (see RetentionPatch); values are validated by the caller (src/retention/). */
  setRetention(chatId: string, actorId: string, patch: RetentionPatch, check: AccessCheck, opts?: WriteOpts<ChatUpdated>): Promise<Committed<ChatUpdated>>;
  /** The caller's own flags. */
  setFlags(chatId: string, userId: string, patch: FlagsPatch, check: AccessCheck, now: number, opts?: WriteOpts<Membership>): Promise<Committed<Membership>>;
}

export interface ChatCreated {
  chat: Chat;
  created: boolean; // false: the direct chat already existed
  memberIds: string[];
}

export interface ChatUpdated {
  chat: Chat;
  memberIds: string[];
}

// ---- messages ----

/** Offsets and lengths count UTF-16 code units of `text`, as JavaScript strings do. */
export type Entity =
  | { type: "mention"; offset: number; length: number; userId: string }
  | { type: "mention_all"; offset: number; length: number }
  | { type: "hashtag"; offset: number; length: number; tag: string };

export interface ForwardOrigin {
  chatId: string;
  messageId: string;
  senderId: string;
  at: number; // when the original was sent
}

export interface Message {
  id: string;
  chatId: string;
  seq: number; // per chat, increasing, assigned at commit
  senderId: string;
  clientId: string | null;
  text: string; // empty once deleted
  entities: Entity[];
  replyToId: string | null;
  forward: ForwardOrigin | null;
  silent: boolean;
  createdAt: number;
  editedAt: number | null;
  deletedAt: number | null; // a tombstone: deleted for everyone, seq kept
  preview?: LinkPreview; // the link preview sent with it (a snapshot); purged on delete
  attachments?: StoredAttachment[]; // as sent, in order; absent: none (and on tombstones)
  expiresAt?: number; // disappearing: deleted by the retention sweeper at this time (ms epoch); absent: never
  expired?: true; // a tombstone the retention sweeper made (timer or auto-delete), not a person
  imported?: ImportedOrigin; // brought in from another messenger's export (src/imports/)
}

/**
 * Where an imported message came from. `author` is the sender's name in the export;
 * `mapped` false: a placeholder (senderId is the importer, clients show `author`), true:
 * senderId is the member the author was mapped to. `missingFiles`: files the export
 * referred to but did not include.
 */
export interface ImportedOrigin {
  source: "telegram" | "whatsapp" | "discord";
  author: string;
  mapped: boolean;
  missingFiles: number;
}

export interface NewMessage {
  id: string;
  chatId: string;
  senderId: string;
  clientId: string | null;
  text: string;
  entities: Entity[]; // mentions already resolved to members
  replyToId: string | null;
  /** Origin to copy (flattened: forwarding a forward keeps the first origin). */
  forward: ForwardOrigin | null;
  silent: boolean;
  now: number;
  preview?: LinkPreview | null; // stored with the message; absent or null: none
  /**
   * Media to attach, in order. `from` null: each must be the sender's finished attachment
   * or voice media; `from` a message: each must be carried by it (a forward). not_found otherwise.
   */
  media?: { ids: string[]; from: { messageId: string } | null };
}

export interface MessageSent {
  message: Message;
  created: boolean; // false: (chat, sender, clientId) was sent before; nothing changed
  draftCleared: boolean; // the sender's draft in the chat was deleted with this send (not by a forward)
}

export interface MessageChanged {
  message: Message;
  previous: Message; // as it was before this change
  memberIds: string[]; // who hears of it: the members, minus those who hid the message
}

export interface MessageEdit {
  version: number; // 1 = the original text
  text: string;
  entities: Entity[];
  at: number; // when this version was written
}

export type Anchor = { seq: number } | "latest" | "first_unread";
export type Direction = "before" | "after" | "around";

export interface MessagePage {
  messages: Message[]; // ascending seq; tombstones included, hidden-for-me excluded
  hasBefore: boolean;
  hasAfter: boolean;
  readSeq: number;
}

export interface ReadState {
  chatId: string;
  userId: string;
  readSeq: number;
  unreadCount: number;
  unreadMentionCount: number;
  changed: boolean; // false when the pointer was already at or past seq
  memberIds: string[]; // members to tell (who-has-read), empty for large chats
}

/** Edits and deletes take a check that also sees the message (authorship, admin rights). */
export type MessageCheck = (chat: Chat, actor: Membership | null, message: Message, ctx?: AccessContext) => void;

/** One imported message, ready to store (src/imports/plan.ts). */
export interface ImportRow {
  id: string;
  senderId: string; // the mapped member, or the importer for a placeholder
  text: string;
  replyToId: string | null; // another row of the same import
  createdAt: number; // the original date
  editedAt: number | null;
  mediaIds: string[]; // among NewImport.media
  imported: ImportedOrigin;
}

export interface NewImport {
  importerId: string;
  /** An existing chat (the importer must pass `check` there) or a group to create with the importer as owner. */
  target: { chatId: string } | { create: NewChat };
  media: NewMedia[]; // owned by the importer; their blob files are in the blob store already
  messages: ImportRow[]; // in the export's order; they get the chat's next seqs
  now: number;
}

export interface HistoryImported {
  chat: Chat;
  created: boolean;
  memberIds: string[];
  count: number;
  lastMessage: Message | null;
}

export interface ImportRemapped {
  chat: Chat;
  changed: number;
  memberIds: string[];
  lastMessage: Message | null;
}

export interface MessageStore extends ReactionStore, PinStore {
  /**
   * A whole import in ONE transaction (all or nothing): the chat (created, or checked with
   * `check`), the media rows, every message. In an existing chat each mapped sender must
   * be a member (invalid_field map); in a new one they are added, as `mayAdd` allows.
   */
  importHistory(input: NewImport, check: AccessCheck, mayAdd: AddCheck, opts?: WriteOpts<HistoryImported> & ChatSizeOpts): Promise<Committed<HistoryImported>>;
  /**
   * The messages imported under placeholder or mapped `author` become `userId`'s (who must
   * be a member: invalid_field userId), or the importer's placeholders again (userId null:
   * sender = `importerId`). Checked with `check` in the transaction.
   */
  mapImported(chatId: string, actorId: string, author: string, userId: string | null, check: AccessCheck, opts?: WriteOpts<ImportRemapped>): Promise<Committed<ImportRemapped>>;
  /** Each import author of the chat: their name, the member they are mapped to (null: placeholder), their message count. */
  importAuthors(chatId: string): Promise<{ name: string; userId: string | null; messages: number }[]>;
  /** reply_to must be in the same chat (invalid_field). Idempotent on (chat, sender, clientId). */
  send(input: NewMessage, check: AccessCheck, opts?: WriteOpts<MessageSent>): Promise<Committed<MessageSent>>;
  byId(chatId: string, messageId: string): Promise<Message | null>;
  /** Visible to this user (not hidden for them); tombstones count as visible. */
  visible(chatId: string, messageId: string, userId: string): Promise<Message | null>;
  edit(chatId: string, messageId: string, actorId: string, change: { text: string; entities: Entity[]; dropPreview?: boolean }, check: MessageCheck, now: number, opts?: WriteOpts<MessageChanged>): Promise<Committed<MessageChanged>>;
  editHistory(messageId: string): Promise<MessageEdit[]>;
  /** Tombstone: content, mentions, hashtags and edit history are purged; seq stays. */
  deleteForEveryone(chatId: string, messageId: string, actorId: string, check: MessageCheck, now: number, opts?: WriteOpts<MessageChanged>): Promise<Committed<MessageChanged>>;
  deleteForMe(chatId: string, messageId: string, userId: string, check: MessageCheck, opts?: WriteOpts<MessageChanged>): Promise<Committed<MessageChanged>>;
  /**
   * Retention: purges, as deleteForEveryone does, up to `limit` messages due at `now` —
   * whose disappearing timer ran out, or older than their chat's auto-delete days — and
   * also drops what the purged message replied to. One transaction.
   */
  expire(now: number, limit: number, opts?: WriteOpts<{ deleted: MessageChanged[] }>): Promise<Committed<{ deleted: MessageChanged[] }>>;
  list(chatId: string, userId: string, anchor: Anchor, direction: Direction, limit: number): Promise<MessagePage>;
  /**
   * Messages of the chat carrying media of one tab (photos, videos, files incl. audio, voice,
   * or links: a stored preview or "://" in the text), newest first, seq < beforeSeq; not
   * deleted, not hidden for userId. not_found unless userId is a member.
   */
  listMedia(chatId: string, userId: string, tab: "photos" | "videos" | "files" | "voice" | "links", beforeSeq: number | null, limit: number): Promise<{ messages: Message[]; hasMore: boolean }>;
  /** Monotonic: never moves back; clamps to the chat's last seq. */
  markRead(chatId: string, userId: string, seq: number, check: AccessCheck, opts?: WriteOpts<ReadState>): Promise<Committed<ReadState>>;
  readState(chatId: string, userId: string): Promise<ReadState | null>;
  /** Members (not the sender) whose read pointer reached the message's seq. */
  readers(chatId: string, messageId: string): Promise<{ userId: string; readSeq: number }[]>;
}

// ---- chat features: invite links, blocks, reactions, pins ----

/** A group's size limit (config chats.groupMembersMax); limits.groupMembersMax when absent. */
export interface ChatSizeOpts {
  membersMax?: number;
}

/** An invite link of a group or channel. Only the hash of its code is stored. */
export interface InviteLink {
  id: string;
  chatId: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number | null;
  maxUses: number | null;
  uses: number;
  revokedAt: number | null;
}

export interface NewInviteLink {
  id: string;
  chatId: string;
  codeHash: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number | null;
  maxUses: number | null;
}

export interface LinkChanged {
  link: InviteLink;
  changed: boolean; // revokeLink: false when it was already revoked
  adminIds: string[]; // the owner and admins: who may see the chat's links
}

export interface LinkJoined extends MemberChange {
  joined: boolean; // false: already a member (any link of the chat, even a spent one); nothing changed
}

export interface InviteLinkStore {
  /** limit_exceeded past limits.chatInviteLinksPerChatMax live links in the chat. */
  createLink(input: NewInviteLink, check: AccessCheck, opts?: WriteOpts<LinkChanged>): Promise<Committed<LinkChanged>>;
  /** Live (not revoked) links of the chat, newest first, expired and used-up ones included. */
  links(chatId: string): Promise<InviteLink[]>;
  /** not_found: no such link in the chat. */
  revokeLink(chatId: string, linkId: string, actorId: string, check: AccessCheck, now: number, opts?: WriteOpts<LinkChanged>): Promise<Committed<LinkChanged>>;
  /** The link and its chat when the code is usable at `now`; null when unknown, expired, revoked or used up. */
  linkByCode(codeHash: string, now: number): Promise<{ link: InviteLink; chat: Chat } | null>;
  /**
   * Counts one use and adds the user as a member. invalid_invite: not usable;
   * limit_exceeded: the chat is full. `check` gets the chat and the link creator's
   * membership (null if gone): the link admits people only while its creator may.
   */
  joinByLink(codeHash: string, userId: string, now: number, check: AccessCheck, opts?: WriteOpts<LinkJoined> & ChatSizeOpts): Promise<Committed<LinkJoined>>;
}

export interface BlockChanged {
  userId: string;
  blockedId: string;
  changed: boolean; // false: it already was (un)blocked
  at: number;
}

export interface BlockStore {
  /** not_found: unknown user; limit_exceeded past limits.blocksPerUserMax. */
  block(userId: string, blockedId: string, now: number, opts?: WriteOpts<BlockChanged>): Promise<Committed<BlockChanged>>;
  unblock(userId: string, blockedId: string, now: number, opts?: WriteOpts<BlockChanged>): Promise<Committed<BlockChanged>>;
  /** The users this user blocked, by user id. */
  blocks(userId: string, page: { limit: number; afterUserId?: string }): Promise<{ userId: string; at: number }[]>;
  isBlocked(userId: string, blockedId: string): Promise<boolean>;
}

/** One emoji on a message as one user sees it. */
export interface ReactionCount {
  emoji: string;
  count: number;
  mine: boolean;
}

export interface ReactionChanged {
  chatId: string;
  messageId: string;
  userId: string;
  emoji: string;
  added: boolean;
  counts: { emoji: string; count: number }[]; // the message's reactions after the change
}

export interface ReactionStore {
  /**
   * Adds the user's emoji to a live message, or removes it if there. limit_exceeded:
   * reactionsDistinctPerMessageMax or reactionsPerUserPerMessageMax.
   */
  toggleReaction(input: { chatId: string; messageId: string; userId: string; emoji: string; now: number }, check: MessageCheck, opts?: WriteOpts<ReactionChanged>): Promise<Committed<ReactionChanged>>;
  /** Reactions per message id (absent: none), ordered by first use, with `mine` for userId. */
  reactionsOf(messageIds: readonly string[], userId: string): Promise<Map<string, ReactionCount[]>>;
  /** Who put `emoji` on the message, by user id. */
  reactors(messageId: string, emoji: string, page: { limit: number; afterUserId?: string }): Promise<{ userId: string; at: number }[]>;
}

export interface Pin {
  message: Message;
  pinnedBy: string;
  pinnedAt: number;
}

export interface PinChanged {
  chatId: string;
  messageId: string;
  pin: Pin | null; // null after unpin
  changed: boolean; // false: it already was (un)pinned
  memberIds: string[];
}

export interface PinStore {
  /** Pins a live message. limit_exceeded past limits.pinnedMessagesPerChatMax. */
  pin(chatId: string, messageId: string, actorId: string, check: MessageCheck, now: number, opts?: WriteOpts<PinChanged>): Promise<Committed<PinChanged>>;
  unpin(chatId: string, messageId: string, actorId: string, check: MessageCheck, opts?: WriteOpts<PinChanged>): Promise<Committed<PinChanged>>;
  /** Pinned messages, most recently pinned first, without those the user deleted for themself. */
  pinned(chatId: string, userId: string): Promise<Pin[]>;
}

// ---- drafts: a member's unsent text per chat, synced across their devices ----

export interface Draft {
  text: string;
  updatedAt: number;
}

export interface DraftSaved {
  chatId: string;
  userId: string;
  draft: Draft | null; // null: cleared
  changed: boolean; // false: the stored draft already had this text (or there was none to clear)
}

export interface DraftStore {
  /**
   * Stores the member's draft (replacing theirs), or deletes it when `text` is null.
   * `check` sees the chat and the membership read in the transaction. A draft lives as
   * long as the membership: leaving or removal deletes it.
   */
  saveDraft(input: { chatId: string; userId: string; text: string | null; now: number }, check: AccessCheck, opts?: WriteOpts<DraftSaved>): Promise<Committed<DraftSaved>>;
}
