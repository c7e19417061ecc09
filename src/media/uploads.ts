// Resumable uploads (tus-style): create → PATCH chunks at the stored offset → the PATCH
// that reaches the declared size finalizes. Order of checks on create: shape, the chat
// (if given) and the poster's media, rate, the per-user count, then the quota inside the
// storage transaction. Every PATCH re-checks the chat: removed or banned meanwhile →
// the upload is dropped.
import { stat } from "node:fs/promises";
import { requireChat } from "../chats/access.ts";
import { AppError, invalidField } from "../errors.ts";
import { newId } from "../ids.ts";
import { limits } from "../limits.ts";
import type { CreateUploadBody, CreateUploadResult, UploadDone } from "../protocol/media.ts";
import type { Deps } from "../core/deps.ts";
import type { Upload } from "../storage/media-port.ts";
import { offsetMismatch, uploadBusy, uploadNotFound } from "../storage/media-errors.ts";
import { appendChunk } from "./append.ts";
import { removeFile } from "./blobs.ts";
import { finalizeUpload } from "./finalize.ts";
import { mediaState } from "./state.ts";
import { cleanName, cleanWaveform } from "./validate.ts";

export const quotaOf = (deps: Deps) => ({
  fileBytesMax: deps.config.media.fileBytesMax,
  userBytesMax: deps.config.media.userQuotaBytes,
  serverBytesMax: deps.config.media.serverQuotaBytes,
});

const expiresAt = (u: Upload) => u.updatedAt + limits.uploadIdleMs;

export async function createUpload(deps: Deps, userId: string, body: CreateUploadBody): Promise<CreateUploadResult> {
  const state = mediaState(deps);
  if (body.purpose !== "voice" && body.waveform !== undefined) throw invalidField("waveform", "only voice uploads carry a waveform");
  if ((body.purpose === "poster") !== (body.mediaId !== undefined)) throw invalidField("mediaId", "is required for posters and only for them");
  const waveform = body.waveform === undefined ? null : cleanWaveform(body.waveform);
  if (body.purpose === "poster" && body.size > limits.posterBytesMax) throw invalidField("size", `a poster is at most ${limits.posterBytesMax} bytes`);
  if (body.chatId !== undefined) await requireChat(deps.storage, userId, body.chatId, "send");
  if (body.mediaId !== undefined) {
    const m = await deps.storage.media.media(body.mediaId);
    if (!m || m.ownerId !== userId) throw new AppError("not_found", "Media not found");
  }
  state.rate.take(userId, deps.now());
  const { uploadsInProgress } = await deps.storage.media.usage(userId);
  if (uploadsInProgress >= limits.uploadsInProgressPerUserMax) {
    throw new AppError("limit_exceeded", "Too many unfinished uploads; finish or cancel some", { limit: "uploadsInProgressPerUserMax", max: limits.uploadsInProgressPerUserMax });
  }
  const now = deps.now();
  const id = newId(now);
  await Bun.write(state.dir.partPath(id), ""); // HEAD and the first PATCH find the file
  const up = await deps.storage.media
    .createUpload(
      {
        id, userId, purpose: body.purpose, chatId: body.chatId ?? null, forMediaId: body.mediaId ?? null, name: cleanName(body.name),
        size: body.size, waveform, durationMs: body.durationMs ?? null, createdAt: now,
      },
      quotaOf(deps),
    )
    .catch(async (err) => {
      await removeFile(state.dir.partPath(id));
      throw err;
    });
  return { uploadId: up.id, offset: 0, chunkBytesMax: limits.uploadChunkBytesMax, expiresAt: expiresAt(up) };
}

/** The caller's unfinished upload, or upload_not_found (also for someone else's). */
export async function ownUpload(deps: Deps, userId: string, uploadId: string): Promise<Upload> {
  const up = await deps.storage.media.upload(uploadId);
  if (!up || up.userId !== userId) throw uploadNotFound();
  return up;
}

export async function uploadStatus(deps: Deps, userId: string, uploadId: string) {
  const up = await ownUpload(deps, userId, uploadId);
  return { offset: up.offset, size: up.size, expiresAt: expiresAt(up) };
}

export async function cancelUpload(deps: Deps, userId: string, uploadId: string): Promise<void> {
  await ownUpload(deps, userId, uploadId);
  if (mediaState(deps).busy.has(uploadId)) throw uploadBusy();
  await deps.storage.media.deleteUpload(uploadId);
  await removeFile(mediaState(deps).dir.partPath(uploadId));
}

export type PatchOutcome = { done: false; offset: number } | { done: true; result: UploadDone };

export async function appendToUpload(deps: Deps, userId: string, uploadId: string, offset: number, request: Request): Promise<PatchOutcome> {
  const state = mediaState(deps);
  const up = await ownUpload(deps, userId, uploadId);
  if (offset !== up.offset) throw offsetMismatch(up.offset);
  if (state.busy.has(uploadId)) throw uploadBusy();
  state.busy.add(uploadId);
  try {
    if (up.chatId !== null) await stillInChat(deps, up);
    const max = Math.min(limits.uploadChunkBytesMax, up.size - up.offset);
    if (Number(request.headers.get("content-length") ?? 0) > max) {
      throw new AppError("payload_too_large", `This chunk may carry at most ${max} bytes`, { limit: max });
    }
    await partStillThere(deps, up);
    const { written } = await appendChunk(state.dir.partPath(uploadId), up.offset, request.body, max);
    state.metrics.uploadBytes.inc(undefined, written);
    const now = await deps.storage.media.advanceUpload(uploadId, up.offset, up.offset + written, deps.now());
    if (now.offset < now.size) return { done: false, offset: now.offset };
    return { done: true, result: { media: await finalizeUpload(deps, now) } };
  } finally {
    state.busy.delete(uploadId);
  }
}

/** The part file holds at least the stored offset; if it was lost (a disk restored without it) the upload cannot go on. */
async function partStillThere(deps: Deps, up: Upload): Promise<void> {
  const size = await stat(mediaState(deps).dir.partPath(up.id)).then((s) => s.size, () => -1);
  if (size >= up.offset) return;
  await deps.storage.media.deleteUpload(up.id);
  await removeFile(mediaState(deps).dir.partPath(up.id));
  throw uploadNotFound();
}

const REFUSALS = new Set(["not_found", "forbidden", "blocked"]);

async function stillInChat(deps: Deps, up: Upload): Promise<void> {
  try {
    await requireChat(deps.storage, up.userId, up.chatId!, "send");
  } catch (err) {
    if (!(err instanceof AppError) || !REFUSALS.has(err.code)) throw err; // storage trouble: keep the upload
    await deps.storage.media.deleteUpload(up.id);
    await removeFile(mediaState(deps).dir.partPath(up.id));
    throw err;
  }
}
