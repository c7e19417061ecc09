// The one list of error codes Hearth speaks, over HTTP and WebSocket alike.
// Each code names the typed `data` a client may rely on. The server maps AppError
// subclasses to these once, at the edge (src/server/errors.ts); nothing else
// translates errors. Add a code here, document it in docs/protocol.md, and make a
// test produce it.

export const ERROR_CODES = {
  // request shape
  bad_request: { http: 400, desc: "The request or frame does not match its schema." },
  invalid_field: { http: 400, desc: "A field has a bad value; data.field names it, data.reason says why." },
  unknown_method: { http: 404, desc: "The req method does not exist." },
  payload_too_large: { http: 413, desc: "A body or frame exceeds its limit; data.limit is the bound in bytes." },
  unsupported_media_type: { http: 415, desc: "A JSON route got a body that is not application/json; data.accepted lists what is." },
  // authentication
  unauthenticated: { http: 401, desc: "No or invalid credentials." },
  token_expired: { http: 401, desc: "The access token expired; refresh it." },
  invalid_credentials: { http: 401, desc: "Username or password is wrong." },
  two_factor_required: { http: 401, desc: "Password was right; a TOTP or recovery code is needed." },
  invalid_two_factor: { http: 401, desc: "The TOTP or recovery code is wrong or used; data.reason is used (a right code whose step was already accepted: wait for the next) or wrong." },
  session_revoked: { http: 401, desc: "The session was revoked (logout, theft detection, admin)." },
  account_disabled: { http: 403, desc: "The account is disabled by an admin." },
  account_pending_deletion: {
    http: 403,
    desc: "The account is scheduled for deletion at data.deleteAt; data.by is self or admin; data.cancellable: sign in again with cancelDeletion to keep it (self only).",
  },
  // authorization and existence
  forbidden: { http: 403, desc: "Authenticated, but this action is not allowed." },
  not_found: { http: 404, desc: "No such thing, or you may not see it (no existence leak)." },
  registration_closed: { http: 403, desc: "Registration is closed, or needs an invite." },
  invalid_invite: { http: 403, desc: "The invite is unknown, expired, revoked or used up." },
  reset_invalid: { http: 403, desc: "The password-reset link is unknown, expired, replaced or used." },
  ip_blocked: { http: 403, desc: "The client's address is blocked by an admin; refused before anything else is looked at." },
  claim_invalid: { http: 403, desc: "The owner claim token is unknown, expired or used." },
  // state
  conflict: { http: 409, desc: "Already exists or changed concurrently; data.what names it." },
  username_taken: { http: 409, desc: "The username is in use (case-insensitive)." },
  last_admin: { http: 409, desc: "The only enabled admin cannot delete their account; make someone else admin first." },
  weak_password: { http: 400, desc: "The password is shorter than data.minLength." },
  limit_exceeded: { http: 422, desc: "A stored quota is full; data.limit names it." },
  blocked: { http: 403, desc: "The recipient blocked you." },
  privacy_restricted: { http: 403, desc: "You may not add these people to a group or channel; data.userIds lists them (why is not told)." },
  // media
  quota_exceeded: { http: 413, desc: "The upload would exceed a media quota; data.scope is file, user or server, with data.usedBytes and data.limitBytes." },
  upload_offset_mismatch: { http: 409, desc: "A PATCH's Upload-Offset is not the upload's offset; data.offset is where to continue." },
  upload_not_found: { http: 404, desc: "The upload is unknown, cancelled, finished or expired (or not yours); start a new one." },
  media_type_refused: { http: 415, desc: "The file's sniffed type is not allowed for this purpose; data.mime is what it is, data.purpose what it was for." },
  too_many_attachments: { http: 400, desc: "A message carries more than data.max attachments." },
  // imports
  import_invalid: { http: 422, desc: "The export archive is malformed, incomplete or over a bound; data.reason says what, data.file / data.line / data.messageId where (nothing was imported)." },
  // rate and flow
  rate_limited: { http: 429, desc: "Too many requests; retry after data.retryAfterMs." },
  // protocol lifecycle
  client_too_old: { http: 426, desc: "The client's protocol version is below the server's minimum." },
  server_too_old: { http: 426, desc: "The client speaks a newer protocol than this server." },
  resume_gap: { http: 409, desc: "The event queue was pruned past the resume point; re-sync from a snapshot." },
  not_hello: { http: 400, desc: "The first frame on a socket must be hello." },
  // server side
  unavailable: { http: 503, desc: "Storage or bus not ready, the server is shutting down, too many password checks are waiting, or calls cannot run here now (data.detail for admins); retry shortly." },
  internal: { http: 500, desc: "Unexpected server error; data.requestId is in the server log." },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

/** Why an export archive was refused (import_invalid's data.reason). */
export type ImportProblem =
  | "not_zip" // not a ZIP archive at all
  | "zip_truncated" // a ZIP cut short (its directory or an entry's data missing)
  | "zip_corrupt" // an entry does not unpack or fails its checksum
  | "zip_unsupported" // ZIP64, encryption, or a compression other than stored/deflate
  | "too_large" // over an import bound (archive bytes, entries, unpacked bytes, messages, files)
  | "unknown_format" // neither a Telegram result.json nor a WhatsApp chat .txt inside
  | "bad_json" // result.json does not parse
  | "bad_message" // a message lacks what every message has (its id, date, sender) or has a wrong type
  | "bad_date" // a date in a form the importer does not know
  | "empty"; // nothing to import

/** Typed data per code; codes absent here carry no data. */
export interface ErrorData {
  invalid_field: { field: string; reason: string; accepted?: readonly string[] };
  payload_too_large: { limit: number };
  unsupported_media_type: { accepted: readonly string[] };
  weak_password: { minLength: number };
  conflict: { what: string };
  invalid_two_factor: { reason: "wrong" | "used" };
  account_pending_deletion: { deleteAt: number; by: "self" | "admin"; cancellable: boolean };
  limit_exceeded: { limit: string; max: number };
  privacy_restricted: { userIds: string[] };
  rate_limited: { retryAfterMs: number };
  quota_exceeded: { scope: "file" | "user" | "server"; usedBytes: number; limitBytes: number };
  upload_offset_mismatch: { offset: number };
  media_type_refused: { mime: string; purpose: string };
  too_many_attachments: { max: number };
  import_invalid: { reason: ImportProblem; file?: string; line?: number; messageId?: string };
  client_too_old: { minVersion: number; serverVersion: number };
  server_too_old: { serverVersion: number };
  resume_gap: { oldestEventId: number };
  internal: { requestId: string };
  /** Only where the server has more to say to an admin (e.g. why calls are unavailable); others never see the detail. */
  unavailable: { detail?: string } | undefined;
}

export type ErrorDataOf<C extends ErrorCode> = C extends keyof ErrorData ? ErrorData[C] : undefined;

/** The error shape on the wire: WS `res.error` and HTTP JSON bodies. */
export interface WireError<C extends ErrorCode = ErrorCode> {
  code: C;
  message: string;
  data?: ErrorDataOf<C>;
}

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === "string" && Object.hasOwn(ERROR_CODES, x);
}
