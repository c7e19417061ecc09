// The cropped square goes up as purpose "avatar" (served to any signed-in user).
import { type UploadedMedia, uploadMedia } from "../voice/upload.ts";

export const uploadAvatar = (blob: Blob): Promise<UploadedMedia> =>
  uploadMedia(blob, { purpose: "avatar", name: blob.type === "image/webp" ? "avatar.webp" : "avatar.jpg" });
