// The media part of the storage port: unfinished uploads, finished media (one row per
// upload), the blobs they point at (content by sha-256, deduplicated, on disk under the
// data dir — the files themselves are src/media/blobs.ts's business, rows are here), the
// derived files of a media (thumbnails, poster, the metadata-stripped copy), and which
// messages carry which media. A blob no media row refers to is an orphan; the media GC
// (src/media/gc.ts) removes orphans and stale uploads.
import type { ChatUpdated, AccessCheck } from "./chats-port.ts";
import type { Committed, User, WriteOpts } from "./port.ts";

export type UploadPurpose = "attachment" | "voice" | "avatar" | "poster";
/** "preview": a link-preview image the server fetched and re-encoded (no owner). */
export type MediaPurpose = UploadPurpose | "preview";
export type MediaKind = "photo" | "video" | "audio" | "voice" | "file";
/** `display`: the metadata-stripped copy served as the original; thumbs by width; `poster`: video frame or client-made picture. */
export type VariantName = "display" | "thumb320" | "thumb800" | "thumb1280" | "poster";

export interface Upload {
  id: string;
  userId: string;
  purpose: UploadPurpose;
  chatId: string | null;
  forMediaId: string | null; // purpose poster
  name: string;
  size: number; // declared total
  offset: number; // bytes fsync'd so far
  waveform: string | null;
  durationMs: number | null;
  createdAt: number;
  updatedAt: number; // the last accepted bytes; stale after limits.uploadIdleMs
}

export type NewUpload = Omit<Upload, "offset" | "updatedAt">;

/** A stored file's content. */
export interface BlobRef {
  sha256: string; // hex
  size: number;
}

/** The part of a media row that becomes a message's Attachment on the wire (protocol/media.ts). */
export interface StoredAttachment {
  id: string;
  kind: MediaKind;
  mime: string;
  name: string;
  size: number;
  width?: number;
  height?: number;
  durationMs?: number;
  waveform?: string;
  placeholder?: string;
  thumbs: boolean;
  poster: boolean;
}

export interface Media {
  id: string;
  ownerId: string | null; // null: made by the server (link previews)
  purpose: MediaPurpose;
  blob: BlobRef;
  mime: string;
  kind: MediaKind;
  name: string;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  waveform: string | null;
  placeholder: string | null;
  thumbs: boolean;
  poster: boolean;
  createdAt: number;
  attachedAt: number | null; // first time a message carried it
}

/** The wire Attachment of a media: optional fields only when known. */
export function attachmentOf(m: Media): StoredAttachment {
  return {
    id: m.id,
    kind: m.kind,
    mime: m.mime,
    name: m.name,
    size: m.blob.size,
    ...(m.width !== null ? { width: m.width } : {}),
    ...(m.height !== null ? { height: m.height } : {}),
    ...(m.durationMs !== null ? { durationMs: m.durationMs } : {}),
    ...(m.waveform !== null ? { waveform: m.waveform } : {}),
    ...(m.placeholder !== null ? { placeholder: m.placeholder } : {}),
    thumbs: m.thumbs,
    poster: m.poster,
  };
}

export interface Variant {
  mediaId: string;
  name: VariantName;
  blob: BlobRef;
  mime: string;
  width: number | null;
  height: number | null;
}

/** A finished upload's media row: Media before its poster, creation time and first attachment exist, with its variants. */
export interface NewMedia extends Omit<Media, "poster" | "createdAt" | "attachedAt"> {
  now: number;
  variants: Omit<Variant, "mediaId">[];
}

export interface QuotaBounds {
  fileBytesMax: number; // 0 = none
  userBytesMax: number; // 0 = none
  serverBytesMax: number; // 0 = none
}

export interface MediaStats {
  usedBytes: number;
  blobBytes: number;
  blobCount: number;
  mediaCount: number;
  orphanBlobCount: number;
  orphanBlobBytes: number;
  uploadsInProgress: number;
  topUsers: { userId: string; usedBytes: number }[];
}

export interface MediaStore {
  /** quota_exceeded (scope file, user or server) when the declared size does not fit, counted inside the transaction. */
  createUpload(upload: NewUpload, quota: QuotaBounds): Promise<Upload>;
  upload(id: string): Promise<Upload | null>;
  /** Moves the offset from `from` to `to` (a PATCH's fsync'd bytes); upload_offset_mismatch when it is not at `from`, upload_not_found when gone. */
  advanceUpload(id: string, from: number, to: number, now: number): Promise<Upload>;
  /** false when there was no such upload. */
  deleteUpload(id: string): Promise<boolean>;
  /** In one transaction: the upload goes, its blob and the media row (with variants) come. upload_not_found when the upload is gone. */
  finishUpload(uploadId: string, media: NewMedia): Promise<Media>;
  /** A poster upload finished: the poster variant of `mediaId` (owned by the uploader) is replaced. upload_not_found / not_found. */
  finishPoster(uploadId: string, mediaId: string, variant: Omit<Variant, "mediaId">): Promise<Media>;
  /** A media the server made itself (link-preview images): no upload. */
  putServerMedia(media: NewMedia): Promise<Media>;
  media(id: string): Promise<Media | null>;
  variants(mediaId: string): Promise<Variant[]>;
  /** The uploader, anyone who can read a live message carrying it, and any signed-in user for avatars and previews. */
  mayRead(mediaId: string, userId: string): Promise<boolean>;
  /** Declared sizes of unfinished uploads plus finished media of the user. */
  usage(userId: string): Promise<{ usedBytes: number; uploadsInProgress: number }>;
  stats(topUsersMax: number): Promise<MediaStats>;
  /** Uploads with no accepted bytes since `before`, oldest first. */
  staleUploads(before: number, limit: number): Promise<Upload[]>;
  /**
   * Deletes media rows nothing refers to (no live message, no avatar; posters of the
   * media go with it): those once attached, and never-attached ones created before
   * `unattachedBefore`. Link-preview media are kept. Returns how many.
   */
  collectMedia(unattachedBefore: number, limit: number): Promise<number>;
  /** Blobs no media or variant refers to. */
  orphanBlobs(limit: number): Promise<BlobRef[]>;
  /** Deletes those blob rows that are still orphans (re-checked in the transaction); returns the deleted. */
  dropOrphanBlobs(sha256s: readonly string[]): Promise<string[]>;
  /** Whether a blob row exists (the GC's disk scan keeps files that have one). */
  blobExists(sha256: string): Promise<boolean>;
  /** Every blob row, by sha (backups copy exactly these). */
  allBlobs(afterSha: string, limit: number): Promise<BlobRef[]>;
  /** Your picture: mediaId must be your finished avatar media (not_found); null removes it. */
  setUserAvatar(userId: string, mediaId: string | null, opts?: WriteOpts<User>): Promise<Committed<User>>;
  /** A chat's picture, checked like a rename by `check` inside the transaction. */
  setChatAvatar(chatId: string, actorId: string, mediaId: string | null, check: AccessCheck, opts?: WriteOpts<ChatUpdated>): Promise<Committed<ChatUpdated>>;
}
