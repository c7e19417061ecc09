// The ONE storage port. Domain code talks to storage only through these interfaces;
// it never sees drizzle, SQL or a transaction. Methods are use-case sized: each
// mutating method is one atomic transaction (group-committed by the adapter's writer)
// and its promise resolves only after that transaction committed.
//
// Portability (SQLite now, PostgreSQL later, one contract suite for both):
//  - ids are app-generated text (src/ids.ts: time-sortable, 26 chars);
//  - timestamps are integer milliseconds since the epoch (`number`);
//  - JSON values are plain JS values (text JSON in SQLite, jsonb in PostgreSQL);
//  - per-user event ids are integers increasing by one.
//
// Errors: adapters throw AppError with `not_found`, `conflict`, `username_taken`,
// `limit_exceeded` (see src/storage/errors.ts); the contract suite asserts them.
import type { CallStore } from "./calls-port.ts";
import type { DeletionStore } from "./deletions-port.ts";
import type { ChatStore, MessageStore } from "./chats-port.ts";
import type { PresenceStore } from "./presence-port.ts";
import type { PushStore } from "./push-port.ts";
import type { PreviewStore } from "./previews-port.ts";
import type { MediaStore } from "./media-port.ts";
import type { AdminStore } from "./admin-port.ts";

export type Role = "owner" | "admin" | "member";
export type RegistrationMode = "open" | "invite" | "closed";

export interface User {
  id: string;
  username: string; // as the user typed it; uniqueness is case-insensitive
  displayName: string;
  bio: string;
  role: Role;
  disabled: boolean;
  totpEnabled: boolean;
  createdAt: number;
  avatar?: Avatar; // absent: none
  /** Scheduled for deletion (src/accounts/deletion.ts): purged at `at`; `by` says who asked. */
  deletion?: { at: number; by: "self" | "admin" };
  /** Purged: this row is the "Deleted account" their remaining messages point to. */
  deletedAt?: number;
}

/** A user's or chat's picture: a media id (and its placeholder) shown from /media/:id/thumb/:w. */
export interface Avatar {
  id: string;
  placeholder?: string;
}

/** Only accounts/ sees this: the user plus what authenticates them. */
export interface UserCredentials extends User {
  passwordHash: string;
  totpSecret: string | null;
  totpLastStep: number; // last TOTP step accepted (-1: none); see UserStore.useTotpStep
}

export interface NewUser {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  createdAt: number;
}

export interface Session {
  id: string;
  userId: string;
  deviceName: string;
  ip: string;
  createdAt: number;
  lastSeenAt: number;
  revokedAt: number | null;
  lastAckedEventId: number;
}

export interface NewSession {
  id: string;
  userId: string;
  deviceName: string;
  ip: string;
  createdAt: number;
  refreshHash: string; // sha-256 of the refresh token; the token itself is never stored
  refreshExpiresAt: number;
}

export type RefreshOutcome =
  | { kind: "rotated"; session: Session }
  // the presented token was already used: the adapter revoked the whole session in the same transaction
  | { kind: "reused"; session: Session }
  | { kind: "invalid" }; // unknown, expired, or its session is revoked

export interface Invite {
  id: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number | null;
  maxUses: number | null;
  uses: number;
  revokedAt: number | null;
  /** What the code was derived from (null for invites made before it was kept). */
  clientId: string | null;
  codeHash: string; // sha-256 of the code; never leaves the server

}

/** An event for named recipients; the store gives each recipient's copy its next event id. */
export interface EventDraft {
  to: readonly string[]; // user ids
  type: string; // "noun.past"
  data: unknown;
  /**
   * A chat id: the event tells where its recipients stand in that chat's log (chat.joined,
   * chat.left, chat.created). After the transaction's chat-log appends, the store sets
   * `data.pos` — and `data.entry.pos` when there is an entry — to the chat's log_pos.
   */
  chatPos?: string;
}

/**
 * A chat-scoped change (issue #13): appended ONCE to its chat's log, numbered by the
 * chat's counter (chats.log_pos, bumped in the same transaction), whatever the member count.
 */
export interface ChatLogDraft {
  chat: string; // chat id
  type: string;
  data: unknown;
}

export interface ChatLogEvent {
  chatId: string;
  pos: number; // per chat, increasing by one
  type: string;
  data: unknown;
  at: number;
}

export interface ChatLogHead {
  pos: number; // the chat's newest pos (0: nothing logged yet)
  oldestPos: number; // oldest kept pos; pos + 1 when the kept tail is empty
}

export interface ChatLogStore {
  /** Appends in one transaction (for callers without a domain write, and tests). */
  append(drafts: ChatLogDraft[]): Promise<ChatLogEvent[]>;
  /** Events of one chat with pos > afterPos, ascending, at most `limit`. */
  read(chatId: string, afterPos: number, limit: number): Promise<ChatLogEvent[]>;
  /** Heads of the given chats that exist. */
  heads(chatIds: readonly string[]): Promise<Map<string, ChatLogHead>>;
  /** Keeps at most `keepMax` newest events per chat and none older than `olderThan`; returns rows dropped. */
  prune(keepMax: number, olderThan: number): Promise<number>;
  /**
   * The chats the user is a member of, most recently active first (chats.last_at DESC,
   * as chat.list), at most `limit`, each with its log head.
   */
  following(userId: string, limit: number): Promise<ChatFollowed[]>;
}

export interface ChatFollowed {
  chatId: string;
  pos: number; // the chat's log_pos
  lastAt: number;
}

export interface StoredEvent {
  userId: string;
  id: number; // per-user, increasing by one
  type: string;
  data: unknown;
  at: number;
}

export interface QueueInfo {
  queueId: string; // changes only if a user's queue is reset; a resume with another id is a gap
  lastEventId: number; // 0 when nothing was ever appended
  oldestEventId: number; // oldest retained id; lastEventId + 1 when the queue is empty
}

/**
 * Options every mutating method accepts, which then answers Committed<R> whether or not
 * they were given: an event about the change must commit with it, or a crash in between
 * loses it.
 */
export interface WriteOpts<R> {
  /** Events to append in the same transaction, computed from the result (pure, no I/O). */
  emit?: (result: R) => (EventDraft | ChatLogDraft)[];
  /**
   * Idempotency for requests that create something: a retry with the same
   * (userId, key) acts no second time and returns the first result (replayed: true) —
   * with what it made in its CURRENT state where that can change (invites, invite links:
   * a retry after a revoke says revoked).
   */
  idempotency?: { userId: string; key: string; method: string };
}

export interface Committed<R> {
  value: R;
  events: StoredEvent[]; // publish these on the bus AFTER the promise resolved
  chatEvents?: ChatLogEvent[]; // chat-log rows the emit appended (ChatLogDraft), same transaction
  replayed: boolean;
}

export interface TotpSetting {
  secret: string;
  recoveryCodeHashes: string[];
  usedStep?: number;
}

export interface UserStore {
  create(user: NewUser, opts?: WriteOpts<User>): Promise<Committed<User>>; // username_taken
  byId(id: string): Promise<User | null>;
  credentialsByUsername(username: string): Promise<UserCredentials | null>; // case-insensitive
  credentialsById(id: string): Promise<UserCredentials | null>;
  /** By username; `query` keeps those whose username or display name (or a word of it) starts with it, ignoring ASCII case. */
  list(page: { afterUsername?: string; limit: number; query?: string }): Promise<User[]>;
  /**
   * Find people: enabled users other than the viewer whose username or display name (or a
   * word of it) starts with `query`, among those sharing a direct chat or group with the
   * viewer — or everyone when `directory` is true. Shared-chat people first, then by username.
   */
  search(p: { viewerId: string; query: string; directory: boolean; limit: number }): Promise<User[]>;
  count(): Promise<number>;
  ownerExists(): Promise<boolean>;
  updateProfile(id: string, patch: { displayName?: string; bio?: string }, opts?: WriteOpts<User>): Promise<Committed<User>>;
  setRole(id: string, role: Role, opts?: WriteOpts<User>): Promise<Committed<User>>;
  /** Disabling revokes every session of the user; returns their ids. */
  setDisabled(id: string, disabled: boolean): Promise<{ user: User; revokedSessionIds: string[] }>;
  /** New password hash; revokes every session except `keepSessionId`; returns revoked ids. */
  setPassword(id: string, passwordHash: string, keepSessionId: string | null, opts?: WriteOpts<string[]>): Promise<Committed<string[]>>;
  /** A new secret (or none) replaces the recovery codes; `usedStep` is the step that confirmed it (-1 if omitted). */
  setTotp(id: string, totp: TotpSetting | null, opts?: WriteOpts<void>): Promise<Committed<void>>;
  /** Records a TOTP step as used if it is newer than the last one; false for a replay (also from another process). */
  useTotpStep(id: string, step: number): Promise<boolean>;
  /** Marks one recovery code used; false if unknown or already used. */
  consumeRecoveryCode(id: string, codeHash: string, now: number): Promise<boolean>;
}

export interface SessionStore {
  create(session: NewSession): Promise<Session>; // limit_exceeded past sessionsPerUserMax live sessions
  byId(id: string): Promise<Session | null>;
  listForUser(userId: string): Promise<Session[]>; // live (not revoked), newest first
  /** Single-use rotation; see RefreshOutcome. */
  rotateRefresh(presentedHash: string, next: { hash: string; expiresAt: number }, now: number, ip: string, opts?: WriteOpts<RefreshOutcome>): Promise<Committed<RefreshOutcome>>;
  /** Revokes one session of this user; false if not theirs or already revoked. */
  revoke(userId: string, sessionId: string, now: number, opts?: WriteOpts<boolean>): Promise<Committed<boolean>>;
  revokeAllForUser(userId: string, exceptSessionId: string | null, now: number): Promise<string[]>;
  /** Batched by the caller; last-seen is advisory. */
  touch(sessionId: string, now: number, ip: string): Promise<void>;
  ack(sessionId: string, lastEventId: number): Promise<void>;
}

export interface AccountStore {
  /** Replaces any unused claim; only one claim is ever valid. */
  createOwnerClaim(tokenHash: string, expiresAt: number): Promise<void>;
  /** Atomically: claim valid and unused, no owner yet → create the owner, burn the claim. claim_invalid otherwise. */
  claimOwner(tokenHash: string, owner: NewUser, now: number): Promise<User>;
  /** Read-only: would claimOwner accept this token now? (A cheap check before hashing a password; claimOwner still decides.) */
  ownerClaimUsable(tokenHash: string, now: number): Promise<boolean>;
  createInvite(invite: { id: string; codeHash: string; createdBy: string; createdAt: number; expiresAt: number | null; maxUses: number | null; clientId?: string | null }, opts?: WriteOpts<Invite>): Promise<Committed<Invite>>;
  /** A usable invite (not revoked, expired or used up) by its code hash, with its creator's display name. */
  liveInviteByCodeHash(codeHash: string, now: number): Promise<{ invite: Invite; creatorDisplayName: string } | null>;
  listInvites(createdBy: string | null): Promise<Invite[]>;
  revokeInvite(id: string, now: number): Promise<boolean>;
  /** Atomically: invite valid → count one use and create the user. invalid_invite otherwise. */
  registerWithInvite(codeHash: string, user: NewUser, now: number): Promise<User>;
  /** Read-only: would registerWithInvite accept this code now? (A cheap check before hashing; registerWithInvite still decides.) */
  inviteUsable(codeHash: string, now: number): Promise<boolean>;
  /** A new one-time reset token for a user; any unused one of theirs is dropped (one live link per user). */
  createPasswordReset(reset: { tokenHash: string; userId: string; createdBy: string; createdAt: number; expiresAt: number }): Promise<void>;
  /**
   * Atomically: token unused, unexpired, its user not disabled → burn it, set the
   * password, revoke every session of the user. reset_invalid otherwise.
   */
  resetPassword(tokenHash: string, passwordHash: string, now: number): Promise<{ user: User; revokedSessionIds: string[] }>;
  /** The user a live reset token is for (to greet them on the reset page), or null. */
  passwordResetUser(tokenHash: string, now: number): Promise<User | null>;
  /** Server directory (find people beyond shared chats): null = never set, use the default. */
  getDirectoryEnabled(): Promise<boolean | null>;
  setDirectoryEnabled(enabled: boolean): Promise<void>;
  getRegistrationMode(): Promise<RegistrationMode | null>; // null: not set at runtime, use config
  setRegistrationMode(mode: RegistrationMode): Promise<void>;
}

export interface EventStore {
  append(drafts: EventDraft[]): Promise<StoredEvent[]>;
  queueInfo(userId: string): Promise<QueueInfo>;
  /** Events with id > afterId, ascending, at most `limit`. */
  readAfter(userId: string, afterId: number, limit: number): Promise<StoredEvent[]>;
  /** Drops events beyond the newest `keepMax` per user and those older than `olderThan` (ms epoch). */
  prune(keepMax: number, olderThan: number): Promise<number>;
}

export interface MetaStore {
  /** Empty when the database is sound; otherwise the problems SQLite/PG reported. */
  integrityCheck(): Promise<string[]>;
  /** Online, consistent copy of the whole database to `path` (must not exist). */
  backupTo(path: string): Promise<{ bytes: number }>;
  schema(): Promise<{ applied: number; known: number }>;
  /** Drops idempotency records older than `olderThan`. */
  pruneIdempotency(olderThan: number): Promise<number>;
}

export interface Storage {
  readonly dialect: "sqlite" | "postgres";
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly accounts: AccountStore;
  readonly events: EventStore;
  readonly chatLog: ChatLogStore; // per-chat logs (issue #13)
  readonly meta: MetaStore;
  readonly chats: ChatStore; // see chats-port.ts
  readonly messages: MessageStore;
  readonly previews: PreviewStore; // link-preview cache; see previews-port.ts
  readonly presence: PresenceStore; // see presence-port.ts
  readonly calls: CallStore; // finished calls; see calls-port.ts
  readonly push: PushStore; // Web Push subscriptions, notification settings; see push-port.ts

  readonly media: MediaStore; // uploads, media, blobs; see media-port.ts
  readonly admin: AdminStore; // IP blocks, audit log, usage per user and chat; see admin-port.ts
  readonly deletions: DeletionStore; // account deletion: schedule, cancel, purge; see deletions-port.ts
  /** True when a trivial read and write round-trip succeeds. */
  ready(): Promise<boolean>;
  /** Waits for queued writes to commit, then closes. Idempotent. */
  close(): Promise<void>;
}
