// The one way request bodies are read and typed. Bodies are streamed with a byte counter,
// so a body that declares no length (chunked) is cut at exactly `maxBytes`; a declared
// length over the bound is refused by the edge hook (observe.ts) before anything is read.
// Bun's own cut-off (maxRequestBodySize) is off: its bare 413 would bypass the JSON errors,
// so every route that reads a body does it through here (`parse: "none"`), never through
// Elysia's parser, which buffers whatever arrives.
// JSON routes take only `Content-Type: application/json`: the types a cross-site page can
// send without a CORS preflight (text/plain, forms, multipart) never reach a handler, so a
// foreign page cannot drive logins (and lockouts) from a visitor's browser.
import type { Static, TSchema } from "@sinclair/typebox";
import { AppError, schemaProblem } from "../errors.ts";
import { compile } from "../protocol/validate.ts";
import { limits } from "../limits.ts";

export const JSON_CONTENT_TYPE = "application/json";
const NO_BODY_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const bodyTooLarge = (maxBytes: number) =>
  new AppError("payload_too_large", `The request body exceeds ${maxBytes} bytes`, { limit: maxBytes });

export const unsupportedMediaType = () =>
  new AppError("unsupported_media_type", `This route takes a body of Content-Type ${JSON_CONTENT_TYPE}`, { accepted: [JSON_CONTENT_TYPE] });

/** `application/json`, with parameters allowed; a charset other than UTF-8 is not JSON (RFC 8259). */
export function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  const [type = "", ...params] = value.split(";");
  if (type.trim().toLowerCase() !== JSON_CONTENT_TYPE) return false;
  return params.every((p) => {
    const eq = p.indexOf("=");
    const key = p.slice(0, eq < 0 ? undefined : eq).trim().toLowerCase();
    return key !== "charset" || /^"?utf-8"?$/i.test(p.slice(eq + 1).trim());
  });
}

/** Whether the request carries a body (or says it does): a type, a non-zero length, or chunking. */
function hasBody(request: Request): boolean {
  const h = request.headers;
  return h.has("content-type") || h.has("transfer-encoding") || Number(h.get("content-length") ?? "0") !== 0;
}

/**
 * The rule for every route under /api/: a request that carries a body must say it is
 * JSON. A bodiless POST (logout) needs no type. Checked once, at the edge.
 */
export function jsonOnly(request: Request, path: string): AppError | null {
  if (NO_BODY_METHODS.has(request.method) || !(path === "/api" || path.startsWith("/api/"))) return null;
  if (isUploadChunk(request, path)) return null; // octet-stream, checked by the route
  if (!hasBody(request)) return null;
  return isJsonContentType(request.headers.get("content-type")) ? null : unsupportedMediaType();
}

/** A PATCH of a resumable upload (src/media/routes.ts): a binary body up to limits.uploadChunkBytesMax. */
export function isUploadChunk(request: Request, path: string): boolean {
  return request.method === "PATCH" && path.startsWith("/api/uploads/");
}

/** The largest body the edge lets through for this request. */
export function bodyBytesMaxFor(request: Request, path: string): number {
  return isUploadChunk(request, path) ? limits.uploadChunkBytesMax : limits.httpBodyBytesMax;
}

export async function readBodyBounded(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) throw bodyTooLarge(maxBytes);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {}); // stop reading; the rest is never buffered
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/**
 * A parsed and validated JSON body: `schema` checks it, a failure answers through the one
 * mapping (schemaProblem). For routes that opt out of Elysia's unbounded parsing.
 */
export function jsonBodyOf<T extends TSchema>(schema: T, maxBytes: number): (request: Request) => Promise<Static<T>> {
  const checker = compile(schema);
  return async (request) => {
    const value = await readJsonBody(request, maxBytes);
    const problem = checker.firstError(value);
    if (problem) throw schemaProblem(problem, "request body");
    return value as Static<T>;
  };
}

/** A JSON body of at most `maxBytes`, for routes that opt out of Elysia's unbounded parsing (`parse: "none"`). */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  if (!isJsonContentType(request.headers.get("content-type"))) throw unsupportedMediaType();
  const bytes = await readBodyBounded(request, maxBytes);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new AppError("bad_request", "The request body is not JSON");
  }
}
