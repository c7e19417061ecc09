// Row shapes of the media tables and their mapping to the port (../../media-port.ts).
import type { Media, MediaKind, MediaPurpose, Upload, UploadPurpose, Variant, VariantName } from "../../media-port.ts";

export interface UploadRow {
  id: string;
  user_id: string;
  purpose: UploadPurpose;
  chat_id: string | null;
  for_media_id: string | null;
  name: string;
  size: number;
  offset: number;
  waveform: string | null;
  duration_ms: number | null;
  created_at: number;
  updated_at: number;
}

export const UPLOAD_COLS = "id, user_id, purpose, chat_id, for_media_id, name, size, offset, waveform, duration_ms, created_at, updated_at";

export const toUpload = (r: UploadRow): Upload => ({
  id: r.id,
  userId: r.user_id,
  purpose: r.purpose,
  chatId: r.chat_id,
  forMediaId: r.for_media_id,
  name: r.name,
  size: r.size,
  offset: r.offset,
  waveform: r.waveform,
  durationMs: r.duration_ms,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface MediaRow {
  id: string;
  owner_id: string | null;
  purpose: MediaPurpose;
  blob_sha256: string;
  size: number;
  mime: string;
  kind: MediaKind;
  name: string;
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  waveform: string | null;
  placeholder: string | null;
  thumbs: number;
  created_at: number;
  attached_at: number | null;
  has_poster: number;
}

// has_poster is computed: the media's poster variant exists.
export const MEDIA_SELECT = `SELECT md.id, md.owner_id, md.purpose, md.blob_sha256, md.size, md.mime, md.kind, md.name, md.width,
  md.height, md.duration_ms, md.waveform, md.placeholder, md.thumbs, md.created_at, md.attached_at,
  EXISTS (SELECT 1 FROM media_variants v WHERE v.media_id = md.id AND v.name = 'poster') AS has_poster
  FROM media md`;

export const toMedia = (r: MediaRow): Media => ({
  id: r.id,
  ownerId: r.owner_id,
  purpose: r.purpose,
  blob: { sha256: r.blob_sha256, size: r.size },
  mime: r.mime,
  kind: r.kind,
  name: r.name,
  width: r.width,
  height: r.height,
  durationMs: r.duration_ms,
  waveform: r.waveform,
  placeholder: r.placeholder,
  thumbs: r.thumbs === 1,
  poster: r.has_poster === 1,
  createdAt: r.created_at,
  attachedAt: r.attached_at,
});

export interface VariantRow {
  media_id: string;
  name: VariantName;
  blob_sha256: string;
  size: number;
  mime: string;
  width: number | null;
  height: number | null;
}

export const VARIANT_COLS = "media_id, name, blob_sha256, size, mime, width, height";

export const toVariant = (r: VariantRow): Variant => ({
  mediaId: r.media_id,
  name: r.name,
  blob: { sha256: r.blob_sha256, size: r.size },
  mime: r.mime,
  width: r.width,
  height: r.height,
});
