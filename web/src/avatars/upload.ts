// The cropped square goes up as purpose "avatar" (served to any signed-in user) through the
// one resumable upload client. Where the server makes no thumbnails (no sharp on its
// platform) the same square goes up again as the avatar's poster, which
// /media/:id/thumb/:w then serves (docs/protocol.md, Uploads).
import type { Attachment, CreateUploadBody } from "../media/types.ts";
import { httpAuth } from "../net/connection.ts";
import { upload } from "../net/upload.ts";

function send(blob: Blob, spec: Omit<CreateUploadBody, "size">): Promise<Attachment> {
  const auth = httpAuth();
  if (!auth) return Promise.reject(Object.assign(new Error("Not connected"), { code: "disconnected" }));
  return upload({ blob, spec, auth });
}

export async function uploadAvatar(blob: Blob): Promise<Attachment> {
  const name = blob.type === "image/webp" ? "avatar.webp" : "avatar.jpg";
  const media = await send(blob, { purpose: "avatar", name });
  if (!media.thumbs && !media.poster) return send(blob, { purpose: "poster", mediaId: media.id, name });
  return media;
}
