// Scheduled backups as admins see them (the admin console's "last backup"). Only the
// owner and admins may ask; the figures are also on /metrics and, without paths or
// messages, in /readyz details.
import { type Static, Type } from "@sinclair/typebox";

const Empty = Type.Object({});

export const BackupResultSchema = Type.Object({
  ok: Type.Boolean(),
  /** The backup's file name in the backup directory (`hearth restore <dir>/<name>`); null when nothing was kept. */
  name: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.Integer(),
  durationMs: Type.Integer(),
  /** The database copy's bytes. */
  dbBytes: Type.Integer(),
  mediaFiles: Type.Integer(),
  mediaBytes: Type.Integer(),
  /** Media bytes this backup added to the shared store (the rest was there already). */
  mediaNewBytes: Type.Integer(),
  /** Media files the database refers to that were missing from the data directory (see hearth doctor). */
  mediaMissing: Type.Integer(),
  error: Type.Optional(Type.String()),
});

export const BackupStatusSchema = Type.Object({
  enabled: Type.Boolean(),
  dir: Type.String(),
  /** "daily at 03:30" or "every 3600000 ms". */
  schedule: Type.String(),
  nextAt: Type.Union([Type.Integer(), Type.Null()]),
  running: Type.Boolean(),
  last: Type.Union([BackupResultSchema, Type.Null()]),
  lastSuccess: Type.Union([BackupResultSchema, Type.Null()]),
  /** Backups kept in the directory now. */
  kept: Type.Integer(),
});

export type BackupResult = Static<typeof BackupResultSchema>;
export type BackupStatus = Static<typeof BackupStatusSchema>;

export const backupMethods = {
  /** Admin: the scheduled backups — the last run, the last good one, the next, how many are kept. */
  "backup.status": { params: Empty, result: BackupStatusSchema },
} as const;
