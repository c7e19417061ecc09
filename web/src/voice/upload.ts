// Voice messages and avatars go up through the one resumable upload client (net/upload.ts)
// with the signed-in session's tokens.
import type { Attachment, CreateUploadBody } from "../media/types.ts";
import { httpAuth } from "../net/connection.ts";
import { ApiError } from "../net/http.ts";
import { upload } from "../net/upload.ts";

export function uploadMedia(blob: Blob, spec: Omit<CreateUploadBody, "size">, signal?: AbortSignal): Promise<Attachment> {
  const auth = httpAuth();
  if (!auth) return Promise.reject(new ApiError("network", "Not connected."));
  return upload({ blob, spec, auth, signal });
}
