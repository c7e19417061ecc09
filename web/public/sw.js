// Hearth's service worker: keeps the app shell (index.html and its hashed assets, icons,
// manifest) so the app opens without a network. Served with no-cache (src/server/static.ts),
// so a new version is picked up on the next load. Never touches /api or /ws.
const CACHE = "hearth-shell-v1";
const SHELL = ["/", "/manifest.webmanifest", "/icon.svg", "/icon-192.png", "/icon-512.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(SHELL);
      // the hashed bundles named by index.html
      const html = await (await cache.match("/")).text();
      const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
      await cache.addAll(assets);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE && key !== PREFS) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== location.origin) return;
  // /media too: straight to the server (its Range answers for video seeking, its permission check per request)
  if (/^\/(api|ws|healthz|readyz|metrics|media)(\/|$)/.test(url.pathname)) return;
  if (req.mode === "navigate") {
    // network first (a new version), the cached shell when offline
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) void caches.open(CACHE).then((c) => c.put("/", res.clone()));
          return res;
        })
        .catch(async () => (await caches.match("/")) ?? Response.error()),
    );
    return;
  }
  if (url.pathname.startsWith("/assets/")) {
    // content-hashed: cache first, forever
    event.respondWith(
      caches.match(req).then(
        (hit) =>
          hit ??
          fetch(req).then((res) => {
            if (res.ok) void caches.open(CACHE).then((c) => c.put(req, res.clone()));
            return res;
          }),
      ),
    );
    return;
  }
  event.respondWith(caches.match(req).then((hit) => hit ?? fetch(req)));
});

// ---- notifications (docs/web-client.md, Notifications) ----
// A push carries { v: 1, kind: "message" | "call" | "test", chatId, title, body, count, url,
// tag, seq?, action?, missed? } (src/protocol/methods/push.ts PushPayloadSchema). Every push
// shows a notification (the subscription promises userVisibleOnly), one per chat (the tag),
// a newer one replacing the older. Clicks focus an open window and send it to the chat
// ("hearth.open"), else open the chat's URL. "Mark as read" and an inline reply use the
// push's own capability (`action`: this chat, up to this message, this session, 24 h) with
// POST /api/push/action, so they work with no window open; without one (in-app
// notifications, or the server refused it) an open window does them over its connection
// ("hearth.read" / "hearth.reply"), and with no window either the chat opens instead.
// The service worker never holds an access token.
const PREFS = "hearth-sw-prefs"; // the action titles in the app's language, posted by the app
const defaultWords = {
  markRead: "Mark as read", reply: "Reply", replyPlaceholder: "Message", app: "Hearth",
  newMessage: "New message", incomingCall: "Incoming call", missedCall: "Missed call", test: "Test notification",
};

async function words() {
  try {
    const hit = await (await caches.open(PREFS)).match("/sw-words");
    return hit ? { ...defaultWords, ...(await hit.json()) } : defaultWords;
  } catch {
    return defaultWords;
  }
}

function sameOriginUrl(u) {
  try {
    const url = new URL(u || "/", self.location.origin);
    return url.origin === self.location.origin ? url.href : self.location.origin + "/";
  } catch {
    return self.location.origin + "/";
  }
}

async function showPush(p) {
  const w = await words();
  const chatId = typeof p.chatId === "string" ? p.chatId : null;
  const actions = [];
  if (p.kind === "message" && chatId) {
    actions.push({ action: "read", title: w.markRead });
    // an inline reply where the platform has one; elsewhere it is a button that opens the chat
    actions.push({ action: "reply", title: w.reply, type: "text", placeholder: w.replyPlaceholder });
  }
  const max = typeof Notification !== "undefined" && Notification.maxActions ? Notification.maxActions : 2;
  // hidden content (or a payload cut for size) comes with empty texts: say only what it is
  const generic = p.kind === "call" ? (p.missed ? w.missedCall : w.incomingCall) : p.kind === "test" ? w.test : w.newMessage;
  await self.registration.showNotification(String(p.title || w.app).slice(0, 200), {
    body: String(p.body || generic).slice(0, 500),
    tag: String(p.tag || (chatId ? `chat:${chatId}` : "hearth")),
    renotify: true,
    requireInteraction: p.kind === "call" && !p.missed, // a ringing call waits for an answer
    icon: "/icon-192.png",
    badge: "/icon-192.png",
    data: {
      url: sameOriginUrl(p.url), chatId, kind: p.kind || "message", seq: typeof p.seq === "number" ? p.seq : null,
      action: typeof p.action === "string" ? p.action : null,
    },
    actions: actions.slice(0, max),
  });
}

self.addEventListener("push", (event) => {
  let p = null;
  try {
    p = event.data ? event.data.json() : null;
  } catch {
    p = null;
  }
  if (!p || p.v !== 1) p = { kind: "test", title: "", body: "", url: "/" }; // unknown: still show something
  event.waitUntil(showPush(p));
});

async function windows() {
  const all = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  // the one the person is most likely looking at first
  return all.sort((a, b) => Number(b.focused) - Number(a.focused) || Number(b.visibilityState === "visible") - Number(a.visibilityState === "visible"));
}

async function openChat(url, wins) {
  const w = wins[0];
  if (w) {
    w.postMessage({ type: "hearth.open", url });
    await w.focus().catch(() => undefined);
    return;
  }
  await self.clients.openWindow(url);
}

/** "read" or "reply" with the push's capability; false when there is none or the server refused. */
async function withCapability(data, action, text) {
  if (!data || typeof data.action !== "string") return false;
  const body = { token: data.action, action };
  if (action === "reply") Object.assign(body, { text, clientId: crypto.randomUUID() });
  try {
    const res = await fetch("/api/push/action", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return res.ok;
  } catch {
    return false;
  }
}

/** A click (action "") or an action on a notification: also the e2e test's way in (self.hearthClick). */
async function handleClick(action, data, reply) {
  const url = sameOriginUrl(data && data.url);
  const chatId = data && data.chatId;
  if (action === "read" && chatId) {
    if (await withCapability(data, "read")) return;
    const wins = await windows();
    if (wins[0]) return wins[0].postMessage({ type: "hearth.read", chatId });
    return openChat(url, wins); // no way to do it here: opening the chat marks it read
  }
  const text = typeof reply === "string" ? reply.trim() : "";
  if (action === "reply" && chatId && text) {
    if (await withCapability(data, "reply", text)) return;
    const wins = await windows();
    if (wins[0]) return wins[0].postMessage({ type: "hearth.reply", chatId, text });
    return openChat(url, wins);
  }
  // a plain click, or "Reply" where the platform has no inline reply: write it in the chat
  return openChat(url, await windows());
}

self.addEventListener("notificationclick", (event) => {
  const n = event.notification;
  n.close();
  event.waitUntil(handleClick(event.action || "", n.data, event.reply));
});

/** For tests driving the worker directly (Playwright's serviceWorker.evaluate): clicks the chat's notification. */
self.hearthClick = async (tag, action, reply) => {
  const [n] = await self.registration.getNotifications({ tag });
  if (!n) return false;
  n.close();
  await handleClick(action || "", n.data, reply);
  return true;
};

self.addEventListener("message", (event) => {
  const m = event.data;
  if (m && m.type === "hearth.words" && m.words) {
    event.waitUntil(caches.open(PREFS).then((c) => c.put("/sw-words", new Response(JSON.stringify(m.words), { headers: { "content-type": "application/json" } }))));
  }
});

// The browser replaced the subscription (expiry, key change): the app subscribes again and
// tells the server on its next start (notifications/push.ts sync); tell any open window now.
self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(windows().then((wins) => wins.forEach((w) => w.postMessage({ type: "hearth.resubscribe" }))));
});
