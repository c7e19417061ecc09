// Why a connection ends: the `bye` reason the server sends just before closing, and the
// WebSocket close code it closes with. One list, so the server, the client and
// docs/protocol.md agree. `retry` tells a client whether reconnecting (with resume) can
// help without the user doing anything; `refresh` asks it to refresh its access token first.

export const BYE_REASONS = {
  protocol_error: { code: 4000, retry: false, desc: "A frame was not msgpack, not a map, or text; declared a length its bytes cannot hold or one beyond the frame shape limits; or hello came twice." },
  unauthenticated: { code: 4001, retry: false, desc: "The hello token is missing or invalid, or its session is unknown." },
  session_revoked: { code: 4002, retry: false, desc: "This session was revoked (logout, password change, theft detection, admin)." },
  account_disabled: { code: 4003, retry: false, desc: "The account was disabled by an admin." },
  too_slow: { code: 4004, retry: true, desc: "The send buffer exceeded its bound: the client does not read fast enough. Reconnect and resume." },
  frame_too_large: { code: 4005, retry: false, desc: "A frame exceeded protocol.frameBytesMax." },
  hello_timeout: { code: 4006, retry: true, desc: "No hello arrived within the hello timeout." },
  token_expired: { code: 4007, retry: true, refresh: true, desc: "The hello token expired: refresh it, then reconnect." },
  not_hello: { code: 4008, retry: false, desc: "A frame other than hello arrived before hello." },
  client_too_old: { code: 4009, retry: false, desc: "The client's protocol version is below the server's minimum (data: minVersion, serverVersion)." },
  server_too_old: { code: 4010, retry: false, desc: "The client speaks a newer protocol than this server (data: serverVersion)." },
  heartbeat_timeout: { code: 4011, retry: true, desc: "No pong or frame arrived within a heartbeat interval: the connection is dead." },
  resume_gap: { code: 4012, retry: true, desc: "Live delivery found events pruned before they were sent. Reconnect: the resume takes the snapshot path." },
  invalid_hello: { code: 4013, retry: false, desc: "A hello field other than the token is missing or of the wrong type (data: field, e.g. `v` or `resume.lastEventId`). A missing or non-string token is `unauthenticated`." },
  connection_shed: { code: 4014, retry: true, desc: "Too many sockets were waiting for hello (from this address, or in total): the oldest was closed to make room. Reconnect with backoff." },
  too_many_connections: { code: 4015, retry: true, desc: "This user already has limits.connectionsPerUserMax connections open (data: limit). Close a tab or device; the client retries with backoff." },
  internal: { code: 1011, retry: true, desc: "An unexpected server error ended the connection." },
  server_shutdown: { code: 1012, retry: true, desc: "The server is shutting down or restarting. Reconnect with backoff and resume." },
} as const satisfies Record<string, { code: number; retry: boolean; refresh?: boolean; desc: string }>;

export type ByeReason = keyof typeof BYE_REASONS;
export const BYE_REASON_LIST = Object.keys(BYE_REASONS) as ByeReason[];

export function isByeReason(x: unknown): x is ByeReason {
  return typeof x === "string" && Object.hasOwn(BYE_REASONS, x);
}

/** The reason for a close code, for clients that saw the close but not the bye. */
export function byeReasonOfCloseCode(code: number): ByeReason | null {
  for (const r of BYE_REASON_LIST) if (BYE_REASONS[r].code === code) return r;
  return null;
}
