// The cropped square goes up as purpose "avatar" (served to any signed-in user). Where the
// server makes no thumbnails (no sharp on its platform) the same square goes up again as
// the avatar's poster, which /media/:id/thumb/:w then serves (docs/protocol.md, Uploads).
import type { Attachment } from "../media/types.ts";
import { uploadMedia } from "../voice/upload.ts";

export async function uploadAvatar(blob: Blob): Promise<Attachment> {
  const name = blob.type === "image/webp" ? "avatar.webp" : "avatar.jpg";
  const media = await uploadMedia(blob, { purpose: "avatar", name });
  if (!media.thumbs) return uploadMedia(blob, { purpose: "poster", mediaId: media.id, name });
  return media;
}
