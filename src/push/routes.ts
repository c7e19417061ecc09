// HTTP route of notifications: a service worker's button on a message notification
// ("mark read", "reply"), authorized by the capability in the push payload (action.ts),
// not by the app's tokens. The session it names must still be live and its user
// enabled; membership is checked by the same use cases the WebSocket methods use.
import { Elysia } from "elysia";
import { AppError, invalidField } from "../errors.ts";
import { TokenBucket } from "../events/ratelimit.ts";
import { newId } from "../ids.ts";
import { limits } from "../limits.ts";
import { updateRead } from "../messages/read.ts";
import { sendMessage } from "../messages/send.ts";
import { PushActionBodySchema, pushPaths } from "../protocol/methods/push.ts";
import { jsonBodyOf } from "../server/body.ts";
import type { Deps } from "../core/deps.ts";
import { verifyActionToken } from "./action.ts";

const BODY_BYTES_MAX = 96 * 1024; // the largest message text plus the token, in JSON

const body = jsonBodyOf(PushActionBodySchema, BODY_BYTES_MAX);

export function pushRoutes(deps: Deps) {
  const buckets = new Map<string, TokenBucket>();
  const take = (sessionId: string) => {
    const now = deps.now();
    let b = buckets.get(sessionId);
    if (!b) {
      if (buckets.size >= limits.pushQueueMax) for (const [id, x] of buckets) if (x.full(now)) buckets.delete(id);
      buckets.set(sessionId, (b = new TokenBucket(limits.pushActionsPerMinuteMax / 60, limits.pushActionsPerMinuteMax, now)));
    }
    const wait = b.take(now);
    if (wait > 0) throw new AppError("rate_limited", "Too many notification actions", { retryAfterMs: wait });
  };
  return new Elysia().post(
    pushPaths.action,
    async ({ request }) => {
      const p = await body(request);
      const g = verifyActionToken(deps.secrets.get("push-action-key"), p.token, deps.now());
      const session = await deps.storage.sessions.byId(g.sessionId);
      if (!session || session.revokedAt !== null) throw new AppError("session_revoked", "The session this notification was for was signed out");
      const user = await deps.storage.users.byId(session.userId);
      if (!user || user.disabled) throw new AppError("account_disabled", "The account is disabled");
      take(session.id);
      if (p.action === "read") {
        await updateRead(deps, user.id, { chatId: g.chatId, seq: g.seq });
        return new Response(null, { status: 204 });
      }
      if (p.text === undefined) throw invalidField("text", "a reply needs text");
      const { message } = await sendMessage(deps, user.id, { chatId: g.chatId, clientId: p.clientId ?? newId(), text: p.text });
      return { messageId: message.id, seq: message.seq };
    },
    { parse: "none" },
  );
}
