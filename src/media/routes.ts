// HTTP endpoints of media (src/protocol/media.ts): the resumable upload protocol, the
// media cookie, and serving. Handlers throw AppError; the one edge mapping
// (src/server/errors.ts) turns it into the JSON error body and status.
import { Elysia } from "elysia";
import { AppError, invalidField } from "../errors.ts";
import { limits } from "../limits.ts";
import { CreateUploadBodySchema, MEDIA_COOKIE_NAME, mediaPaths } from "../protocol/media.ts";
import { jsonBodyOf } from "../server/body.ts";
import type { Deps } from "../core/deps.ts";
import { requestUrl } from "../server/request-url.ts";
import { bearerSession, mediaCookieValue } from "./cookie.ts";
import { exportReadable, exportTarget, startExport } from "../exports/export.ts";
import { exportPaths } from "../protocol/http.ts";
import { serveMedia, type Want } from "./serve.ts";
import { appendToUpload, cancelUpload, createUpload, uploadStatus } from "./uploads.ts";

export const OFFSET_CONTENT_TYPE = "application/offset+octet-stream";

const createBody = jsonBodyOf(CreateUploadBodySchema, limits.uploadCreateBodyBytesMax);

function offsetHeader(request: Request): number {
  const raw = request.headers.get("upload-offset");
  if (raw === null || !/^\d{1,16}$/.test(raw)) throw invalidField("Upload-Offset", "must be a non-negative integer header");
  return Number(raw);
}

const noStore = { "cache-control": "no-store" };

function cookieHeader(request: Request, value: string, maxAgeSec: number): string {
  const secure = requestUrl(request)?.protocol === "https:" ? "; Secure" : "";
  return `${MEDIA_COOKIE_NAME}=${value}; Path=/media; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSec}${secure}`;
}

const wantOf = (params: { w?: string }, what: Want["what"]): Want =>
  what === "thumb" ? { what, width: /^\d{1,5}$/.test(params.w ?? "") ? Number(params.w) : -1 } : ({ what } as Want);

export function mediaRoutes(deps: Deps) {
  const serve = (what: Want["what"]) => ({ request, params }: { request: Request; params: { id: string; w?: string } }) =>
    serveMedia(deps, request, params.id, wantOf(params, what));
  return new Elysia()
    .post(mediaPaths.uploads, async ({ request }) => {
      const { userId } = await bearerSession(deps, request);
      const created = await createUpload(deps, userId, await createBody(request));
      return new Response(JSON.stringify(created), {
        status: 201,
        headers: { "content-type": "application/json; charset=utf-8", location: mediaPaths.upload(created.uploadId), "upload-offset": "0", ...noStore },
      });
    }, { parse: "none" })
    .head("/api/uploads/:id", async ({ request, params }) => {
      const { userId } = await bearerSession(deps, request);
      const s = await uploadStatus(deps, userId, params.id);
      return new Response(null, { status: 200, headers: { "upload-offset": String(s.offset), "upload-length": String(s.size), "upload-expires": String(s.expiresAt), ...noStore } });
    })
    .patch("/api/uploads/:id", async ({ request, params }) => {
      const { userId } = await bearerSession(deps, request);
      const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (type !== OFFSET_CONTENT_TYPE) throw new AppError("unsupported_media_type", `A chunk is Content-Type ${OFFSET_CONTENT_TYPE}`, { accepted: [OFFSET_CONTENT_TYPE] });
      const out = await appendToUpload(deps, userId, params.id, offsetHeader(request), request);
      if (!out.done) return new Response(null, { status: 204, headers: { "upload-offset": String(out.offset), ...noStore } });
      return new Response(JSON.stringify(out.result), { status: 200, headers: { "content-type": "application/json; charset=utf-8", ...noStore } });
    }, { parse: "none" })
    .delete("/api/uploads/:id", async ({ request, params }) => {
      const { userId } = await bearerSession(deps, request);
      await cancelUpload(deps, userId, params.id);
      return new Response(null, { status: 204 });
    })
    .post(mediaPaths.cookie, async ({ request }) => {
      const reader = await bearerSession(deps, request);
      const expiresAt = deps.now() + limits.accessTokenTtlMs;
      const value = mediaCookieValue(deps, reader, expiresAt);
      return new Response(null, { status: 204, headers: { "set-cookie": cookieHeader(request, value, Math.floor(limits.accessTokenTtlMs / 1000)), ...noStore } });
    })
    .delete(mediaPaths.cookie, ({ request }) => new Response(null, { status: 204, headers: { "set-cookie": cookieHeader(request, "", 0) } }))
    .get(exportPaths.archive, async ({ request }) => {
      // a user's data export (src/exports/): here because the bearer check and the media files live here
      const reader = await bearerSession(deps, request);
      const targetId = requestUrl(request)?.searchParams.get("userId") ?? null;
      if (targetId !== null && !/^[0-9A-Za-z]{1,64}$/.test(targetId)) throw invalidField("userId", "must be a user id");
      const src = { storage: deps.storage, dataDir: deps.config.data.dir, now: deps.now };
      const started = startExport(src, await exportTarget(src, reader.userId, targetId), reader.userId);
      deps.log.info("data export started", { userId: started.user.id, by: reader.userId });
      const body = exportReadable(started, (err) => deps.log.error("data export failed", { userId: started.user.id, err }));
      return new Response(body, {
        headers: { "content-type": "application/x-tar", "content-disposition": `attachment; filename="${started.filename}"`, ...noStore },
      });
    })
    .get("/media/:id", serve("original"))
    .head("/media/:id", serve("original"))
    .get("/media/:id/thumb/:w", serve("thumb"))
    .head("/media/:id/thumb/:w", serve("thumb"))
    .get("/media/:id/poster", serve("poster"))
    .head("/media/:id/poster", serve("poster"));
}
