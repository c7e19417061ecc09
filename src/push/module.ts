// Notifications as the server sees them: push.* and notify.* methods, chat.notify,
// client.visibility, the welcome snapshot part `push`, and the per-connection hook that
// feeds the visibility tracker. It listens to committed events (deps.observers) and turns
// messages and call rings into Web Push. src/main.ts lists it.
import { readFileSync } from "node:fs";
import { setFlags } from "../chats/manage.ts";
import { AppError, FatalError, notFound } from "../errors.ts";
import { pushMethods as pm } from "../protocol/methods/push.ts";
import type { Deps } from "../core/deps.ts";
import { type DomainModule, bind } from "../core/module.ts";
import { checkEndpoint, checkKeys, type EndpointPolicy } from "./endpoint.ts";
import { Notifier } from "./notifier.ts";
import { testPayload } from "./payload.ts";
import { PushQueue, type QueueLimits, defaultQueueLimits } from "./queue.ts";
import { pushRoutes } from "./routes.ts";
import { getSettings, setSettings } from "./settings.ts";
import { createTransport, type Transport } from "./transport.ts";
import { createVapid, vapidContact } from "./vapid.ts";
import { VisibilityTracker } from "./visibility.ts";

export interface PushOptions {
  /** Tests shorten the coalescing window. */
  coalesceMs?: number;
  queueLimits?: Partial<QueueLimits>;
  transport?: Transport;
}

export interface PushModule extends DomainModule {
  queue: PushQueue;
  notifier: Notifier;
  visibility: VisibilityTracker;
}

const unavailable = () => new AppError("unavailable", "This server does not send Web Push (push.enabled is off)");

export function pushModule(deps: Deps, opts: PushOptions = {}): PushModule {
  const cfg = deps.config.push;
  if (cfg.contact && !/^(mailto:|https:)/.test(cfg.contact)) throw new FatalError(`push.contact must be a mailto: or https: URL, got "${cfg.contact}"`);
  const policy: EndpointPolicy = { allowPrivateHosts: new Set(cfg.allowPrivateHosts.map((h) => h.toLowerCase())) };
  const vapid = createVapid(deps.secrets.get("vapid-key"), vapidContact(cfg.contact, deps.config.server.publicUrl));
  const transport = opts.transport ?? createTransport(policy, cfg.caFile ? readCa(cfg.caFile) : null);
  const visibility = new VisibilityTracker();
  const queue = new PushQueue(
    { transport, vapid, metrics: deps.metrics, log: deps.log, now: deps.now, gone: async (s, e) => void (await deps.storage.push.removeGone(s, e)),
      stillSubscribed: async (s, e) => (await deps.storage.push.bySession(s))?.endpoint === e,
    },
    { ...defaultQueueLimits(), ...opts.queueLimits },
  );
  const notifier = new Notifier(deps, queue, visibility, opts.coalesceMs);
  if (!deps.observers) throw new Error("pushModule needs deps.observers (src/core/observers.ts)");
  if (cfg.enabled) deps.observers.add((events, chatEvents) => notifier.observe(events, chatEvents));
  // After a vapid-key rotation the old subscriptions cannot work: drop them (browsers resubscribe).
  void deps.storage.push.dropOtherKeys(vapid.keyId).then(
    (n) => n > 0 && deps.log.info("push subscriptions for a replaced VAPID key removed", { count: n }),
    (err) => deps.log.warn("could not drop old push subscriptions", { err: String(err) }),
  );
  const config = async (sessionId: string) => ({
    vapidPublicKey: vapid.publicKey,
    available: cfg.enabled,
    subscribed: cfg.enabled && (await deps.storage.push.bySession(sessionId)) !== null,
  });
  return {
    name: "push",
    queue,
    notifier,
    visibility,
    connected: (c) => visibility.opened(c.sessionId, c.connectionId),
    routes: (app) => app.use(pushRoutes(deps)),
    snapshot: async (userId) => ({ settings: await getSettings(deps, userId), vapidPublicKey: vapid.publicKey, available: cfg.enabled }),
    methods: [
      bind("push.config", (x) => config(x.sessionId)),
      bind("push.subscribe", async (x, p) => {
          if (!cfg.enabled) throw unavailable();
          checkEndpoint(p.endpoint, policy);
          await checkKeys(p.keys);
          await deps.storage.push.subscribe({ sessionId: x.sessionId, userId: x.userId, endpoint: p.endpoint, p256dh: p.keys.p256dh, auth: p.keys.auth, keyId: vapid.keyId, createdAt: deps.now() });
          return {};
        }),
      bind("push.unsubscribe", async (x) => {
          await deps.storage.push.unsubscribe(x.sessionId);
          return {};
        }),
      bind("push.test", async (x, p) => {
          if (!cfg.enabled) throw unavailable();
          const sessionId = p.sessionId ?? x.sessionId;
          const session = await deps.storage.sessions.byId(sessionId);
          if (!session || session.userId !== x.userId || session.revokedAt !== null) throw notFound("Session not found");
          const sub = await deps.storage.push.bySession(sessionId);
          if (!sub) return { sent: false };
          const n = await notifier.toSessions(x.userId, testPayload(deps.now()), { ttlSec: 60, urgency: "normal" }, [sub]);
          return { sent: n > 0 };
        }),
      bind("client.visibility", async (x, p) => {
          visibility.set(x.sessionId, x.connectionId, p.visible);
          return {};
        }),
      bind("notify.get", (x) => getSettings(deps, x.userId)),
      bind("notify.set", (x, p) => setSettings(deps, x.userId, p)),
      bind("chat.notify", (x, p) => setFlags(deps, x.userId, p.chatId, { notifyLevel: p.level, muteUntil: p.muteUntil })),
    ],
  };
}

function readCa(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new FatalError(`cannot read push.caFile ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
