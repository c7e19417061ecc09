// Account deletion in storage: scheduling it (which signs every device out), cancelling
// it, finding the accounts whose time has come, and the purge itself — one transaction
// per account, so a crash leaves an account either whole (and still due) or purged.
// What the purge keeps and removes is docs/operations.md "Account deletion".
import type { Chat, Member } from "./chats-port.ts";
import type { ChatLogDraft, ChatLogEvent, EventDraft, StoredEvent, User } from "./port.ts";

export type DeletionBy = "self" | "admin";

export interface PurgeReport {
  /** The "Deleted account" row their remaining messages now point to. */
  user: User;
  /** Groups and channels they left: the chat after, and who is still in it. */
  left: { chat: Chat; memberIds: string[] }[];
  /** Where ownership went to another member (they owned the chat). */
  newOwners: { chatId: string; member: Member; memberIds: string[] }[];
  /** Chats removed with them: their saved messages, and chats nobody else was in. */
  removedChatIds: string[];
  /** Blobs that lost a reference; the caller removes those that are orphans now (under the blob lock). */
  blobCandidates: string[];
  /** Unfinished uploads whose part files the caller removes. */
  uploadIds: string[];
  /** People who shared a chat with them: they learn the account is gone (user.updated). */
  contactIds: string[];
}

export interface DeletionStore {
  /** Marks the account due at `at` and revokes every session; not_found for no (or a purged) account. */
  schedule(userId: string, p: { at: number; by: DeletionBy }): Promise<{ user: User; revokedSessionIds: string[] }>;
  /** Clears a scheduled deletion; not_found for no (or a purged) account. */
  cancel(userId: string): Promise<User>;
  /** Accounts due at `now`, oldest first, at most `limit`. */
  due(now: number, limit: number): Promise<string[]>;
  /** Whether an owner or admin other than `userId` remains (enabled and not scheduled for deletion). */
  otherAdminExists(userId: string): Promise<boolean>;
  /**
   * Purges the account if its deletion is due at `now` (re-checked in the transaction, so a
   * cancel that committed first wins), appending `emit`'s events in the same transaction;
   * null if it is not due, already purged, or gone.
   */
  purge(
    userId: string,
    now: number,
    emit: (r: PurgeReport) => (EventDraft | ChatLogDraft)[],
  ): Promise<(PurgeReport & { events: StoredEvent[]; chatEvents: ChatLogEvent[] }) | null>;
}
