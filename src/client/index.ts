// The Hearth client module: typed calls, ordered exactly-once events, resume, refresh.
export { createClient, type ClientOptions, type ClientStatus, type HearthClient, type ResumeState } from "./client.ts";
export { passwordAuth, postJson, tokenAuth, type AuthSource } from "./auth.ts";
export { ClientError } from "./errors.ts";
