// The presence part of the storage port: what outlives a connection. Live state
// (online/away/offline) is NOT stored: it lives in the presence registry
// (src/presence/registry.ts) because it changes far too often for a database.
// Stored: when each user was last connected, and their privacy settings.
import type { Committed, WriteOpts } from "./port.ts";

/** Who may see something of mine: anyone, people I share a chat with, or nobody. */
export type Visibility = "everyone" | "contacts" | "nobody";

export interface PrivacySettings {
  lastSeen: Visibility; // also covers the live online/away state
  readReceipts: Visibility; // my read pointer in who-has-read and read.updated
  groupAdd: Visibility; // who may add me to a group or channel (src/chats/access.ts mayAdd)
}

export const DEFAULT_PRIVACY: PrivacySettings = { lastSeen: "everyone", readReceipts: "everyone", groupAdd: "everyone" };

export interface PresenceStore {
  /** Last time the user was connected (ms epoch); advisory, last write wins. */
  setLastSeen(userId: string, at: number): Promise<void>;
  /** Users without a record are absent from the map. */
  lastSeen(userIds: readonly string[]): Promise<Map<string, number>>;
  /** Every requested user, defaults filled in. */
  privacy(userIds: readonly string[]): Promise<Map<string, PrivacySettings>>;
  setPrivacy(userId: string, patch: Partial<PrivacySettings>, opts?: WriteOpts<PrivacySettings>): Promise<Committed<PrivacySettings>>;
  /**
   * Users who get `userId`'s presence pushed: the peers of its direct chats and the
   * members of its groups with at most `groupMembersMax` members. At most `limit`.
   */
  pushPeers(userId: string, groupMembersMax: number, limit: number): Promise<string[]>;
  /** Those of `candidates` who share a direct chat or a group with `userId` (channels do not count). */
  sharingChat(userId: string, candidates: readonly string[]): Promise<Set<string>>;
}
