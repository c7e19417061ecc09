// The app's URLs (History API; the server answers every GET that is not a file with the
// app). One route per place a person can be, so a reload or a shared link lands there:
//   /                         the chat list
//   /chat/<id>                a chat            /chat/<id>/info   with its info panel
//   /chat/<id>/message/<seq>  a message in it   /chat/<id>/call   its ongoing call
//   /settings                 settings
// Messages are addressed by seq: message.list can page around a seq directly.
export type Route =
  | { kind: "list" }
  | { kind: "settings" }
  | { kind: "chat"; chatId: string; view: "chat" | "info" | "call" }
  | { kind: "message"; chatId: string; seq: number };

const idRe = /^[\w-]{1,64}$/;

export function parseRoute(pathname: string): Route {
  const parts = pathname.split("/").filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return "";
    }
  });
  if (parts[0] === "settings" && parts.length === 1) return { kind: "settings" };
  if (parts[0] !== "chat" || !parts[1] || !idRe.test(parts[1])) return { kind: "list" };
  const chatId = parts[1];
  if (parts.length === 2) return { kind: "chat", chatId, view: "chat" };
  if (parts.length === 3 && (parts[2] === "info" || parts[2] === "call")) return { kind: "chat", chatId, view: parts[2] };
  const seq = Number(parts[3]);
  if (parts.length === 4 && parts[2] === "message" && Number.isSafeInteger(seq) && seq > 0) return { kind: "message", chatId, seq };
  return { kind: "chat", chatId, view: "chat" };
}

export function routePath(r: Route): string {
  if (r.kind === "list") return "/";
  if (r.kind === "settings") return "/settings";
  const base = `/chat/${encodeURIComponent(r.chatId)}`;
  if (r.kind === "message") return `${base}/message/${r.seq}`;
  return r.view === "chat" ? base : `${base}/${r.view}`;
}

/** A link to a message, for sharing (absolute, on this server's origin). */
export function messageUrl(origin: string, chatId: string, seq: number): string {
  return `${origin}${routePath({ kind: "message", chatId, seq })}`;
}
