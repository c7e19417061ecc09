// One import, in this order: who imports and where (a new group they will own, or an
// existing chat where they are owner or admin: action "import" in src/chats/access.ts),
// the archive (zip.ts: bounded, zip-bomb safe), its chat file (archive.ts), the plan
// (plan.ts: authors, texts, replies, bounds), the quota, the files (files.ts: the media
// pipeline, blobs written), then ONE transaction for the chat, the media rows and every
// message (storage messages.importHistory, re-checking access inside it). Anything wrong
// before that transaction stores nothing; if it fails, nothing of it is in the database
// and the blobs already written are stray files for the media GC. At most
// limits.importsRunningMax imports run at once per process; others wait (bounded).
import { checkFor, mayAdd, requireChat } from "../chats/access.ts";
import { chatDraft, except, posDraft, someone } from "../chats/drafts.ts";
import { joinedEntry } from "../chats/views.ts";
import { validateTitle } from "../chats/validate.ts";
import type { Config } from "../config/schema.ts";
import { AppError } from "../errors.ts";
import { newId } from "../ids.ts";
import { limits } from "../limits.ts";
import { blobDir } from "../media/blobs.ts";
import type { KeyedMutex } from "../media/mutex.ts";
import { type ImportReport, importSourceName } from "../protocol/methods/imports.ts";
import type { HistoryImported, NewImport } from "../storage/chats-port.ts";
import type { NewMedia } from "../storage/media-port.ts";
import type { ParsedExport } from "./model.ts";
import type { Planned } from "./plan.ts";
import type { ChatLogDraft, ChatLogEvent, EventDraft, Storage, StoredEvent } from "../storage/port.ts";

/** What the import committed, to publish (src/events/publish.ts). */
export interface CommittedEvents {
  events: StoredEvent[];
  chatEvents: ChatLogEvent[];
}
import { parseArchive } from "./archive.ts";
import { HeldLocks, storeFiles } from "./files.ts";
import { plan } from "./plan.ts";
import { openZip } from "./zip.ts";

export interface ImportEnv {
  storage: Storage;
  config: Pick<Config, "data" | "images" | "media" | "chats">;
  now: () => number;
  blobLocks: KeyedMutex;
}

export interface ImportRequest {
  archivePath: string;
  importerId: string;
  /** An existing chat, or a new group with this title (empty/null: the export's chat name). */
  target: { chatId: string } | { title: string | null };
  /** Sender name in the export → Hearth user id. */
  map: ReadonlyMap<string, string>;
  /** The archive's own file name ("WhatsApp Chat - Family.zip"): the title when the export has none. */
  archiveName?: string;
}

/** "WhatsApp Chat with Bob.zip" → "Bob"; "ChatExport_2025-12-31.zip" → "ChatExport_2025-12-31". */
export function titleFromArchiveName(name: string): string {
  const base = name.replace(/^.*[\\/]/, "").replace(/\.zip$/i, "");
  return base.replace(/^WhatsApp Chat (?:with|-) /, "").trim();
}

// Imports run one at a time (limits.importsRunningMax); a few more wait their turn
// (limits.importsWaitingMax), beyond that `unavailable`.
let runningCount = 0;
const waiting: (() => void)[] = [];

export async function runImport(env: ImportEnv, req: ImportRequest): Promise<{ report: ImportReport; done: CommittedEvents }> {
  if (runningCount >= limits.importsRunningMax) {
    if (waiting.length >= limits.importsWaitingMax) throw new AppError("unavailable", "Too many imports are waiting; try again in a few minutes", { detail: "imports_waiting" });
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else runningCount += 1;
  try {
    return await importNow(env, req);
  } finally {
    const next = waiting.shift();
    if (next) next(); // the slot passes on
    else runningCount -= 1;
  }
}

async function importNow(env: ImportEnv, req: ImportRequest): Promise<{ report: ImportReport; done: CommittedEvents }> {
  const importer = await env.storage.users.byId(req.importerId);
  if (!importer || importer.disabled) throw new AppError("unauthenticated", "Unknown or disabled user");
  if ("chatId" in req.target) await requireChat(env.storage, req.importerId, req.target.chatId, "import");
  for (const userId of req.map.values()) {
    const u = await env.storage.users.byId(userId);
    if (!u || u.disabled) throw new AppError("not_found", "A user named in the author mapping does not exist");
  }
  const zip = await openZip(req.archivePath);
  try {
    const parsed = await parseArchive(zip);
    const now = env.now();
    const planned = plan(parsed, req.importerId, req.map, now);
    await checkQuota(env, req.importerId, planned.files.map((f) => ({ name: f.file.path, size: zip.entries.get(f.file.path)!.size })));
    const fallback = `${importSourceName(parsed.source)} import`;
    const title = "title" in req.target ? validateTitle(cut(req.target.title?.trim() || parsed.title.trim() || titleFromArchiveName(req.archiveName ?? "") || fallback)) : null;
    const locks = new HeldLocks(env.blobLocks);
    try {
      const dir = blobDir(env.config.data.dir);
      const media = await storeFiles(
        { dir, workRoot: dir.workDir(`import-${newId(now)}`), images: env.config.images.enabled, locks, ownerId: req.importerId, now: env.now },
        zip,
        planned,
      );
      return await commitImport(env, req, { parsed, planned, media, title, now });
    } finally {
      locks.releaseAll();
    }
  } finally {
    await zip.close();
  }
}

const cut = (s: string) => [...s].slice(0, limits.chatTitleLengthMax).join("");

async function commitImport(
  env: ImportEnv,
  req: ImportRequest,
  x: { parsed: ParsedExport; planned: Planned; media: NewMedia[]; title: string | null; now: number },
): Promise<{ report: ImportReport; done: CommittedEvents }> {
  const { parsed, planned, media, title, now } = x;
  const input: NewImport = {
    importerId: req.importerId,
    target: "chatId" in req.target ? { chatId: req.target.chatId } : { create: { id: newId(now), kind: "group", title: title!, description: "", ownerId: req.importerId, memberIds: [], now } },
    media,
    messages: planned.rows,
    now: env.now(),
  };
  const done = await env.storage.messages.importHistory(input, checkFor(req.importerId, "import"), mayAdd, {
    emit: (r) => importEvents(r, req.importerId),
    membersMax: env.config.chats.groupMembersMax,
  });
  const r = done.value;
  return {
    done: { events: done.events, chatEvents: done.chatEvents ?? [] },
    report: {
      chatId: r.chat.id, created: r.created, source: parsed.source, messages: r.count, files: media.length,
      missingFiles: planned.missingFiles, serviceSkipped: parsed.serviceSkipped, unsupportedSkipped: parsed.unsupportedSkipped,
      repliesDropped: planned.repliesDropped, textsCut: planned.textsCut, authors: planned.authors,
    },
  };
}

/** The media quotas an upload meets (src/media/uploads.ts): per file, per user, per server. */
async function checkQuota(env: ImportEnv, userId: string, files: { name: string; size: number }[]): Promise<void> {
  const { fileBytesMax, userQuotaBytes, serverQuotaBytes } = env.config.media;
  const big = fileBytesMax > 0 ? files.find((f) => f.size > fileBytesMax) : undefined;
  if (big) throw new AppError("quota_exceeded", `${big.name} is larger than this server's largest file`, { scope: "file", usedBytes: big.size, limitBytes: fileBytesMax });
  const bytes = files.reduce((n, f) => n + f.size, 0);
  if (userQuotaBytes > 0) {
    const { usedBytes } = await env.storage.media.usage(userId);
    if (usedBytes + bytes > userQuotaBytes) throw new AppError("quota_exceeded", "The export's files do not fit in your storage quota", { scope: "user", usedBytes, limitBytes: userQuotaBytes });
  }
  if (serverQuotaBytes > 0) {
    const { usedBytes } = await env.storage.media.stats(0);
    if (usedBytes + bytes > serverQuotaBytes) throw new AppError("quota_exceeded", "The export's files do not fit in the server's storage", { scope: "server", usedBytes, limitBytes: serverQuotaBytes });
  }
}

// A new chat: the importer learns of it with chat.created, every other member with
// chat.joined (its history is fetched when opened). An existing chat: one chat.imported
// in the chat's log instead of a message.created per message (thousands would flood it).
function importEvents(r: HistoryImported, importerId: string): (EventDraft | ChatLogDraft)[] {
  if (r.created) {
    return someone([
      posDraft([importerId], r.chat.id, "chat.created", { entry: joinedEntry(r.chat, "owner", r.chat.createdAt, null, r.lastMessage) }),
      posDraft(except(r.memberIds, importerId), r.chat.id, "chat.joined", { entry: joinedEntry(r.chat, "member", r.chat.createdAt, null, r.lastMessage), pos: 0 }),
    ]);
  }
  return [chatDraft(r.chat.id, "chat.imported", { chat: r.chat, count: r.count, lastMessage: r.lastMessage })];
}
