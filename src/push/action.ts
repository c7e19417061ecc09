// The capability a message push carries for its buttons. A service worker has no access
// token (the app keeps its tokens to itself), so each push to a session carries
//   v1.<sessionId>.<chatId>.<seq>.<expiresAtSec>.<mac>
// where mac = HMAC-SHA-256(push-action-key, those fields), first 128 bits. It allows
// exactly: mark that chat read up to seq, or reply in that chat — as that session's user,
// while the session is live, until it expires. It travels only inside the encrypted push.
import { createHmac, timingSafeEqual } from "node:crypto";
import { AppError } from "../errors.ts";
import { limits } from "../limits.ts";

export interface ActionGrant {
  sessionId: string;
  chatId: string;
  seq: number;
  expiresAt: number; // ms epoch, whole seconds
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const mac = (key: string, g: ActionGrant) =>
  createHmac("sha256", key).update(`push-action\0${g.sessionId}\0${g.chatId}\0${g.seq}\0${g.expiresAt / 1000}`).digest().subarray(0, 16);

export function actionToken(key: string, g: Omit<ActionGrant, "expiresAt">, now: number): string | undefined {
  if (!ID.test(g.sessionId) || !ID.test(g.chatId)) return undefined; // ids are url-safe; anything else gets no buttons
  const grant = { ...g, expiresAt: Math.floor((now + limits.pushActionTtlMs) / 1000) * 1000 };
  return `v1.${g.sessionId}.${g.chatId}.${g.seq}.${grant.expiresAt / 1000}.${mac(key, grant).toString("base64url")}`;
}

const refused = () => new AppError("unauthenticated", "The notification action is unknown, expired or not yours any more");

export function verifyActionToken(key: string, token: string, now: number): ActionGrant {
  const parts = token.split(".");
  if (parts.length !== 6 || parts[0] !== "v1") throw refused();
  const [, sessionId, chatId, seq, exp, sig] = parts as [string, string, string, string, string, string];
  if (!ID.test(sessionId) || !ID.test(chatId) || !/^\d{1,16}$/.test(seq) || !/^\d{1,12}$/.test(exp)) throw refused();
  const g: ActionGrant = { sessionId, chatId, seq: Number(seq), expiresAt: Number(exp) * 1000 };
  const want = mac(key, g);
  const got = Buffer.from(sig, "base64url");
  if (got.length !== want.length || !timingSafeEqual(got, want)) throw refused();
  if (g.expiresAt <= now) throw refused();
  return g;
}
