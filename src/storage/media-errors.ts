// Typed errors of the media store (codes from src/protocol/errors.ts), shared by every
// adapter and by src/media/ (which raises the same ones before it reaches storage).
import { AppError } from "../errors.ts";
import type { QuotaBounds } from "./media-port.ts";

export const uploadNotFound = () => new AppError("upload_not_found", "Upload not found; start a new one");
export const mediaNotFound = () => new AppError("not_found", "Media not found");
export const offsetMismatch = (offset: number) =>
  new AppError("upload_offset_mismatch", `The upload is at offset ${offset}`, { offset });
export const uploadBusy = () => new AppError("conflict", "Another chunk of this upload is being written; retry shortly", { what: "upload_busy" });
export const quotaExceeded = (scope: "file" | "user" | "server", usedBytes: number, limitBytes: number) =>
  new AppError("quota_exceeded", `${scope === "file" ? "The file is larger than" : `The ${scope} media quota is`} ${limitBytes} bytes`, { scope, usedBytes, limitBytes });

/** Throws quota_exceeded for the first bound `size` does not fit. */
export function checkQuota(size: number, used: { user: number; server: number }, q: QuotaBounds): void {
  if (q.fileBytesMax > 0 && size > q.fileBytesMax) throw quotaExceeded("file", size, q.fileBytesMax);
  if (q.userBytesMax > 0 && used.user + size > q.userBytesMax) throw quotaExceeded("user", used.user, q.userBytesMax);
  if (q.serverBytesMax > 0 && used.server + size > q.serverBytesMax) throw quotaExceeded("server", used.server, q.serverBytesMax);
}
