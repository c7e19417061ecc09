// What a user's export holds — "their data", precisely (docs/operations.md, "Data export"):
//   profile.json      their profile (never the password hash, 2FA secret or sessions)
//   chats.json        the chats they are a member of NOW: kind, title, description, their
//                     role and join time, and for a direct chat who the other person is
//   chats/<id>/messages-NNNN.json (+ .html)
//                     the messages THEY wrote in each of those chats that are still there
//                     (not deleted, not hidden for them), oldest first, in parts of at most
//                     limits.exportPartBytesMax; what others wrote is theirs, not included
//   media/<id>-<name> the files they uploaded that those messages carry, and their profile
//                     picture; a forwarded file someone else uploaded is named, not included
//   media.json, export.json (when, by whom, the counts, whether a bound cut it short)
//   index.html        a page over all of it that opens offline
// Chats they left contribute nothing: messages are read through the same membership-scoped
// history as the client's (a non-member gets not_found), so a chat left during the export
// stops contributing too. Reads go through the storage port only.
import { join } from "node:path";
import { limits } from "../limits.ts";
import type { ChatKind, ChatListEntry, ImportedOrigin, Message } from "../storage/chats-port.ts";
import type { Media, MediaKind } from "../storage/media-port.ts";
import type { Storage, User } from "../storage/port.ts";
import { chatPartHtml, indexHtml } from "./html.ts";
import type { TarEntry } from "./tar.ts";

export interface ExportSource {
  storage: Storage;
  dataDir: string;
  now: () => number;
}

export interface ExportProfile {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  role: string;
  createdAt: number;
  avatarMediaId: string | null;
}

export interface ExportChat {
  id: string;
  kind: ChatKind;
  title: string;
  description: string;
  createdAt: number;
  role: string;
  joinedAt: number;
  peer: { id: string; username: string; displayName: string } | null;
  messageCount: number;
  parts: { json: string; html: string }[];
}

export interface ExportMessage {
  id: string;
  seq: number;
  text: string;
  createdAt: number;
  editedAt: number | null;
  replyToId: string | null;
  forward: { chatId: string; messageId: string; senderId: string; at: number } | null;
  attachments: { id: string; kind: MediaKind; mime: string; name: string; size: number; file: string | null }[];
  /** Brought in from another messenger's export under this name (src/imports/). */
  imported?: { source: ImportedOrigin["source"]; author: string };
}

export interface ExportMedia {
  id: string;
  purpose: string;
  kind: MediaKind;
  mime: string;
  name: string;
  size: number;
  sha256: string;
  createdAt: number;
  file: string;
}

const enc = new TextEncoder();
const json = (name: string, value: unknown, at: number): TarEntry => {
  const body = enc.encode(`${JSON.stringify(value, null, 1)}\n`);
  return { name, size: body.byteLength, mtimeMs: at, body };
};
const text = (name: string, value: string, at: number): TarEntry => {
  const body = enc.encode(value);
  return { name, size: body.byteLength, mtimeMs: at, body };
};
const safeName = (name: string) => name.normalize("NFKD").replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "").slice(-60) || "file";
const mediaFile = (m: Media) => `media/${m.id}-${safeName(m.name)}`;

async function allChats(storage: Storage, userId: string): Promise<ChatListEntry[]> {
  const out: ChatListEntry[] = [];
  let before: { lastAt: number; chatId: string } | undefined;
  while (out.length < limits.exportChatsMax) {
    const page = await storage.chats.listForUser(userId, { limit: limits.pageSizeMax, before });
    out.push(...page);
    if (page.length < limits.pageSizeMax) break;
    const last = page[page.length - 1]!;
    before = { lastAt: last.chat.lastAt, chatId: last.chat.id };
  }
  return out.slice(0, limits.exportChatsMax);
}

/** The user's own live messages in a chat, page by page (null when they are no longer a member). */
async function* ownMessages(storage: Storage, chatId: string, userId: string): AsyncGenerator<Message> {
  let after = 0;
  for (;;) {
    let page;
    try {
      page = await storage.messages.list(chatId, userId, { seq: after }, "after", limits.pageSizeMax);
    } catch {
      return; // left (or the chat went) while exporting: nothing more from it
    }
    // an imported placeholder's sender is its importer, but its words are someone else's (src/imports/)
    for (const m of page.messages) if (m.senderId === userId && m.deletedAt === null && (!m.imported || m.imported.mapped)) yield m;
    if (!page.hasAfter || page.messages.length === 0) return;
    after = page.messages[page.messages.length - 1]!.seq;
  }
}

const profileOf = (u: User): ExportProfile => ({ id: u.id, username: u.username, displayName: u.displayName, bio: u.bio, role: u.role, createdAt: u.createdAt, avatarMediaId: u.avatar?.id ?? null });

// Reads a slice per chunk instead of holding a file handle across yields: a download
// the client abandons may leave this generator suspended for good, and a handle left
// open that way is closed by the garbage collector, which Bun treats as an error.
async function* blobBody(path: string, size: number): AsyncGenerator<Uint8Array> {
  const file = Bun.file(path);
  const step = 1024 * 1024;
  for (let pos = 0; pos < size; ) {
    const chunk = new Uint8Array(await file.slice(pos, Math.min(size, pos + step)).arrayBuffer());
    if (chunk.byteLength === 0) return;
    pos += chunk.byteLength;
    yield chunk;
  }
}

/** The entries of `user`'s export, in archive order; `by` is who asked (themself or an admin). */
export async function* exportEntries(src: ExportSource, user: User, by: string): AsyncGenerator<TarEntry> {
  const at = src.now();
  const media = new Map<string, Media>();
  const chats: ExportChat[] = [];
  let messageCount = 0;
  let truncated = false;
  const ownMedia = async (id: string): Promise<Media | null> => {
    if (media.has(id)) return media.get(id)!;
    const m = await src.storage.media.media(id);
    if (!m || m.ownerId !== user.id) return null;
    media.set(id, m);
    return m;
  };

  for (const entry of await allChats(src.storage, user.id)) {
    if (truncated) break;
    const c = entry.chat;
    const peer = c.kind === "direct" && entry.peerId ? await src.storage.users.byId(entry.peerId) : null;
    const chat: ExportChat = {
      id: c.id, kind: c.kind, title: c.title, description: c.description, createdAt: c.createdAt,
      role: entry.membership.role, joinedAt: entry.membership.joinedAt,
      peer: peer ? { id: peer.id, username: peer.username, displayName: peer.displayName } : null,
      messageCount: 0, parts: [],
    };
    let part: ExportMessage[] = [];
    let partBytes = 0;
    const flush = function* () {
      const n = String(chat.parts.length + 1).padStart(4, "0");
      const names = { json: `chats/${c.id}/messages-${n}.json`, html: `chats/${c.id}/messages-${n}.html` };
      chat.parts.push(names);
      yield json(names.json, { chatId: c.id, part: chat.parts.length, messages: part }, at);
      yield text(names.html, chatPartHtml(chat, chat.parts.length, part), at);
      part = [];
      partBytes = 0;
    };
    for await (const m of ownMessages(src.storage, c.id, user.id)) {
      if (messageCount >= limits.exportMessagesMax) {
        truncated = true;
        break;
      }
      const attachments = [];
      for (const a of m.attachments ?? []) {
        const mine = await ownMedia(a.id);
        attachments.push({ id: a.id, kind: a.kind, mime: a.mime, name: a.name, size: a.size, file: mine ? mediaFile(mine) : null });
      }
      const out: ExportMessage = { id: m.id, seq: m.seq, text: m.text, createdAt: m.createdAt, editedAt: m.editedAt, replyToId: m.replyToId, forward: m.forward, attachments };
      if (m.imported) out.imported = { source: m.imported.source, author: m.imported.author };
      const bytes = enc.encode(JSON.stringify(out)).byteLength;
      if (part.length > 0 && partBytes + bytes > limits.exportPartBytesMax) yield* flush();
      part.push(out);
      partBytes += bytes;
      chat.messageCount += 1;
      messageCount += 1;
    }
    if (part.length > 0) yield* flush();
    chats.push(chat);
  }
  if (user.avatar) await ownMedia(user.avatar.id);

  const files: ExportMedia[] = [];
  const missing: string[] = [];
  for (const m of media.values()) {
    const path = join(src.dataDir, "media", m.blob.sha256.slice(0, 2), m.blob.sha256.slice(2));
    let body: AsyncGenerator<Uint8Array>;
    try {
      body = blobBody(path, m.blob.size);
      const first = await body.next(); // opens the file: a blob gone since is named in export.json instead
      const rest = body;
      body = (async function* () {
        if (!first.done) yield first.value;
        yield* rest;
      })();
    } catch {
      missing.push(m.id);
      continue;
    }
    const file = mediaFile(m);
    files.push({ id: m.id, purpose: m.purpose, kind: m.kind, mime: m.mime, name: m.name, size: m.blob.size, sha256: m.blob.sha256, createdAt: m.createdAt, file });
    yield { name: file, size: m.blob.size, mtimeMs: m.createdAt, body };
  }

  const profile = profileOf(user);
  yield json("profile.json", profile, at);
  yield json("chats.json", chats, at);
  yield json("media.json", files, at);
  yield json("export.json", {
    format: "hearth-export/1",
    exportedAt: at,
    userId: user.id,
    requestedBy: by,
    contents: "profile; the chats the user is a member of now; the messages the user wrote in them (not deleted); the files the user uploaded that those messages carry, and their profile picture",
    counts: { chats: chats.length, messages: messageCount, media: files.length },
    truncated,
    bounds: { messagesMax: limits.exportMessagesMax, chatsMax: limits.exportChatsMax },
    mediaMissing: missing,
  }, at);
  yield text("index.html", indexHtml({ profile, chats, media: files, exportedAt: at, truncated }), at);
}
