// Media on the wire: the Attachment a message carries, avatars, and the HTTP upload and
// download API (tus-style resumable uploads). The server sniffs every file's type from
// its bytes; `mime` here is always the server's finding, never the client's claim.
// The exact protocol is in docs/protocol.md ("Uploads, attachments and media").
import { type Static, Type } from "@sinclair/typebox";

export const mediaPaths = {
  uploads: "/api/uploads", // POST: create an upload
  upload: (uploadId: string) => `/api/uploads/${encodeURIComponent(uploadId)}`, // HEAD, PATCH, DELETE
  cookie: "/api/media/cookie", // POST (Bearer): sets the hearth_media cookie; DELETE clears it
  original: (mediaId: string) => `/media/${encodeURIComponent(mediaId)}`,
  thumb: (mediaId: string, width: number) => `/media/${encodeURIComponent(mediaId)}/thumb/${width}`,
  poster: (mediaId: string) => `/media/${encodeURIComponent(mediaId)}/poster`,
} as const;

/** Thumbnail widths the server makes (and the only ones `/media/:id/thumb/:w` accepts). */
export const MEDIA_THUMB_WIDTHS = [320, 800, 1280] as const;
export type MediaThumbWidth = (typeof MEDIA_THUMB_WIDTHS)[number];

/** The cookie the browser sends to /media/*; HttpOnly, Path=/media, SameSite=Strict. */
export const MEDIA_COOKIE_NAME = "hearth_media";

export const UploadPurposeSchema = Type.Union([
  Type.Literal("attachment"),
  Type.Literal("voice"),
  Type.Literal("avatar"),
  Type.Literal("poster"),
]);
export type UploadPurpose = Static<typeof UploadPurposeSchema>;

export const MediaKindSchema = Type.Union([
  Type.Literal("photo"),
  Type.Literal("video"),
  Type.Literal("audio"),
  Type.Literal("voice"),
  Type.Literal("file"),
]);
export type MediaKind = Static<typeof MediaKindSchema>;

const MediaIdSchema = Type.String({ minLength: 1, maxLength: 64 });

/** POST /api/uploads body (JSON). */
export const CreateUploadBodySchema = Type.Object({
  size: Type.Integer({ minimum: 1 }), // exact byte count of the whole file
  name: Type.String({ maxLength: 1024 }), // the file's name as the user sees it (control characters removed by the server)
  purpose: UploadPurposeSchema,
  chatId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), // the chat it is meant for: must be one you may post in
  mediaId: Type.Optional(MediaIdSchema), // purpose "poster": your media it belongs to
  waveform: Type.Optional(Type.String({ maxLength: 256 })), // purpose "voice": base64 of ≤ 128 bytes, each 0–255
  durationMs: Type.Optional(Type.Integer({ minimum: 0 })), // the client's measure for audio/video
});
export type CreateUploadBody = Static<typeof CreateUploadBodySchema>;

/** 201 answer of POST /api/uploads. Also sent as headers Location and Upload-Offset. */
export const CreateUploadResultSchema = Type.Object({
  uploadId: Type.String(),
  offset: Type.Integer(), // always 0
  chunkBytesMax: Type.Integer(), // a PATCH body must not be longer
  expiresAt: Type.Integer(), // ms since the epoch: an unfinished upload is removed after this
});
export type CreateUploadResult = Static<typeof CreateUploadResultSchema>;

/** A file as a message (or a poster/avatar) carries it. */
export const AttachmentSchema = Type.Object({
  id: Type.String(), // the media id: /media/:id
  kind: MediaKindSchema,
  mime: Type.String(), // sniffed by the server from the bytes
  name: Type.String(),
  size: Type.Integer(), // bytes of the original
  width: Type.Optional(Type.Integer()),
  height: Type.Optional(Type.Integer()),
  durationMs: Type.Optional(Type.Integer()),
  waveform: Type.Optional(Type.String()), // voice: base64, ≤ 128 bytes 0–255
  placeholder: Type.Optional(Type.String()), // thumbhash, base64
  thumbs: Type.Boolean(), // /media/:id/thumb/:w exists for every MEDIA_THUMB_WIDTHS entry
  poster: Type.Boolean(), // /media/:id/poster exists
});
export type Attachment = Static<typeof AttachmentSchema>;

/** 200 answer of the PATCH that completes an upload (and of HEAD-less retries of it). */
export const UploadDoneSchema = Type.Object({ media: AttachmentSchema });
export type UploadDone = Static<typeof UploadDoneSchema>;

/** A user's or chat's picture: shown from /media/:id/thumb/:w. */
export const AvatarSchema = Type.Object({ id: Type.String(), placeholder: Type.Optional(Type.String()) });
export type WireAvatar = Static<typeof AvatarSchema>;

/** What `media.usage` answers: your own storage. */
export const MediaUsageSchema = Type.Object({
  usedBytes: Type.Integer(), // your finished media plus your unfinished uploads' declared sizes
  limitBytes: Type.Integer(), // media.userQuotaBytes (0 = no per-user limit)
  fileBytesMax: Type.Integer(), // media.fileBytesMax
  uploadsInProgress: Type.Integer(),
});
export type MediaUsage = Static<typeof MediaUsageSchema>;

/** What `media.stats` answers admins (the admin screen; `hearth admin media` prints the same). */
export const MediaStatsSchema = Type.Object({
  usedBytes: Type.Integer(), // all media rows plus unfinished uploads
  limitBytes: Type.Integer(), // media.serverQuotaBytes (0 = no server limit)
  blobBytes: Type.Integer(), // bytes on disk in stored blobs (deduplicated)
  blobCount: Type.Integer(),
  mediaCount: Type.Integer(),
  orphanBlobCount: Type.Integer(), // blobs no media refers to (the GC removes them)
  orphanBlobBytes: Type.Integer(),
  uploadsInProgress: Type.Integer(),
  topUsers: Type.Array(Type.Object({ userId: Type.String(), usedBytes: Type.Integer() })), // by usage, ≤ 20
});
export type MediaStats = Static<typeof MediaStatsSchema>;
