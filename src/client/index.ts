// The Hearth client module: typed calls, ordered exactly-once events, resume, refresh.
export { createClient, type ChatReset, type ClientEvent, type ClientOptions, type ClientStatus, type HearthClient, type ResumeState } from "./client.ts";
export type { ChatPosition } from "./chat-log.ts";
export { passwordAuth, postJson, tokenAuth, type AuthSource } from "./auth.ts";
export { ClientError } from "./errors.ts";
