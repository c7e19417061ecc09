// The export's pages: plain HTML with inline CSS and no script, so they open from the
// unpacked folder in any browser, offline. Everything shown is escaped.
import type { ExportChat, ExportMedia, ExportMessage, ExportProfile } from "./collect.ts";

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const time = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 16) + " UTC";

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;max-width:48rem;margin:1.5rem auto;padding:0 1rem;color:#1d1d1f;background:#fff}
h1,h2{line-height:1.2}a{color:#0b57d0}.muted{color:#666;font-size:.85em}
.msg{border-top:1px solid #e5e5e5;padding:.5rem 0}.text{white-space:pre-wrap;overflow-wrap:anywhere}
img{max-width:100%;max-height:24rem;border-radius:6px;display:block;margin:.25rem 0}
ul{padding-left:1.2rem}li{margin:.2rem 0;overflow-wrap:anywhere}
@media (prefers-color-scheme:dark){body{background:#111;color:#eee}a{color:#8ab4f8}.msg{border-color:#333}.muted{color:#aaa}}`;

const page = (title: string, body: string) =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body>\n${body}\n</body></html>\n`;

export const chatTitle = (c: ExportChat) => c.title || (c.kind === "saved" ? "Saved messages" : c.peer ? `${c.peer.displayName} (@${c.peer.username})` : "Direct chat");

function attachmentHtml(a: ExportMessage["attachments"][number], up: string): string {
  if (!a.file) return `<div class="muted">📎 ${esc(a.name)} (${a.size} bytes; not uploaded by you, not included)</div>`;
  const href = up + a.file.split("/").map(encodeURIComponent).join("/");
  if (a.kind === "photo") return `<a href="${href}"><img src="${href}" alt="${esc(a.name)}" loading="lazy"></a>`;
  return `<div>📎 <a href="${href}">${esc(a.name)}</a> <span class="muted">${a.size} bytes</span></div>`;
}

export function chatPartHtml(chat: ExportChat, part: number, messages: readonly ExportMessage[]): string {
  const rows = messages.map(
    (m) =>
      `<div class="msg" id="m${esc(m.id)}"><div class="muted">${time(m.createdAt)}${m.editedAt ? " · edited" : ""}${m.forward ? " · forwarded" : ""}</div>` +
      (m.text ? `<div class="text">${esc(m.text)}</div>` : "") +
      m.attachments.map((a) => attachmentHtml(a, "../../")).join("") +
      "</div>",
  );
  const nav = part > 1 ? `<p class="muted">Part ${part} (the earlier parts are linked from the index)</p>` : "";
  return page(chatTitle(chat), `<p><a href="../../index.html">← All your data</a></p><h1>${esc(chatTitle(chat))}</h1>${nav}<p class="muted">Your messages in this chat, oldest first.</p>\n${rows.join("\n")}`);
}

export function indexHtml(p: { profile: ExportProfile; chats: readonly ExportChat[]; media: readonly ExportMedia[]; exportedAt: number; truncated: boolean }): string {
  const chats = p.chats.map((c) => {
    const links = c.parts.map((f, i) => `<a href="${f.html.split("/").map(encodeURIComponent).join("/")}">${c.parts.length > 1 ? `part ${i + 1}` : "open"}</a>`).join(" · ");
    return `<li><b>${esc(chatTitle(c))}</b> <span class="muted">${esc(c.kind)}, ${c.messageCount} of your messages</span> ${links}</li>`;
  });
  const media = p.media.map((m) => `<li><a href="${m.file.split("/").map(encodeURIComponent).join("/")}">${esc(m.name)}</a> <span class="muted">${esc(m.mime)}, ${m.size} bytes${m.purpose === "avatar" ? ", profile picture" : ""}</span></li>`);
  const body =
    `<h1>Your Hearth data</h1><p class="muted">Exported ${time(p.exportedAt)}. The same data is in the JSON files beside this page.</p>` +
    (p.truncated ? `<p><b>This export is incomplete:</b> it reached its size bound; see export.json.</p>` : "") +
    `<h2>Profile</h2><ul><li>Name: ${esc(p.profile.displayName)}</li><li>Username: @${esc(p.profile.username)}</li>` +
    (p.profile.bio ? `<li class="text">About: ${esc(p.profile.bio)}</li>` : "") +
    `<li>Member since ${time(p.profile.createdAt)}</li></ul>` +
    `<h2>Chats (${p.chats.length})</h2><ul>${chats.join("\n")}</ul>` +
    `<h2>Files you uploaded (${p.media.length})</h2><ul>${media.join("\n")}</ul>`;
  return page("Your Hearth data", body);
}
