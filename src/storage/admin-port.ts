// The admin console's storage: IP blocks, the audit log of admin actions, and media
// bytes per user and per chat. One sub-store; the SQLite adapter is sqlite/admin.ts.
export interface IpBlock {
  id: string;
  cidr: string; // canonical (normalised by the caller)
  note: string;
  createdBy: string | null; // null: the CLI
  createdAt: number;
  expiresAt: number | null;
}

export interface AuditRecord {
  id: number; // increasing
  at: number;
  actorId: string | null; // null: the CLI
  actorName: string;
  action: string;
  target: string;
  detail: string;
}

export type NewAuditRecord = Omit<AuditRecord, "id">;

export interface UsageByUser {
  userId: string;
  username: string;
  displayName: string;
  usedBytes: number;
  files: number;
}

export interface UsageByChat {
  chatId: string;
  kind: string;
  title: string;
  usedBytes: number;
  files: number;
}

export interface AdminStore {
  /** Drops expired blocks, then adds; limit_exceeded past `max` blocks in force, conflict if that CIDR is already blocked. */
  addIpBlock(block: IpBlock, max: number, now: number): Promise<IpBlock>;
  /** False if there was no such block. */
  removeIpBlock(id: string): Promise<boolean>;
  /** Blocks whose expiry is after `now` (or none), newest first. */
  ipBlocks(now: number): Promise<IpBlock[]>;
  /** Appends one entry; in the same transaction drops entries older than `olderThan` and beyond the newest `keepMax`. */
  audit(record: NewAuditRecord, keep: { keepMax: number; olderThan: number }): Promise<void>;
  /** Newest first, ids below `beforeId` when given. */
  auditPage(p: { beforeId?: number; limit: number }): Promise<AuditRecord[]>;
  /** Media bytes by uploader (finished media plus unfinished uploads), heaviest first. */
  usageByUser(limit: number): Promise<UsageByUser[]>;
  /** Media bytes attached to live messages, by chat, heaviest first (a file in two chats counts in both). */
  usageByChat(limit: number): Promise<UsageByChat[]>;
}
