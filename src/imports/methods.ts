// WS methods of imports (src/protocol/methods/imports.ts). chat.import reads the caller's
// own finished upload (the export ZIP) from the blob store; the upload stays an unsent
// file, removed by the media GC after limits.mediaUnattachedKeepMs like any other.
import { checkFor, requireChat } from "../chats/access.ts";
import { chatDraft } from "../chats/drafts.ts";
import { publishCommitted } from "../events/publish.ts";
import { importMethods as spec } from "../protocol/methods/imports.ts";
import { mediaNotFound } from "../storage/media-errors.ts";
import type { ImportsDeps, ImportsMedia } from "./deps.ts";
import { runImport } from "./import.ts";
import { authorName } from "./plan.ts";
import type { Static } from "@sinclair/typebox";
import { bind, type MethodDef } from "../core/module.ts";

type ImportParams = Static<(typeof spec)["chat.import"]["params"]>;


export async function importChat(deps: ImportsDeps, state: ImportsMedia, userId: string, p: ImportParams) {
  const media = await deps.storage.media.media(p.mediaId);
  if (!media || media.ownerId !== userId || media.purpose !== "attachment") throw mediaNotFound();
  const { report, done } = await runImport(
    { storage: deps.storage, config: deps.config, now: deps.now, blobLocks: state.blobLocks },
    {
      archivePath: state.dir.blobPath(media.blob.sha256),
      importerId: userId,
      target: p.chatId !== undefined ? { chatId: p.chatId } : { title: p.title ?? null },
      map: new Map((p.map ?? []).map((m) => [m.author, m.userId])),
      archiveName: media.name,
    },
  );
  await publishCommitted(deps, done);
  return report;
}

export async function mapImportAuthor(deps: ImportsDeps, userId: string, chatId: string, author: string, to: string | null) {
  const done = await deps.storage.messages.mapImported(chatId, userId, authorName(author), to, checkFor(userId, "import"), {
    emit: (r) => [chatDraft(chatId, "chat.imported", { chat: r.chat, count: r.changed, lastMessage: r.lastMessage })],
  });
  await publishCommitted(deps, done);
  return { changed: done.value.changed };
}

export function importMethodDefs(deps: ImportsDeps, media: ImportsMedia): MethodDef[] {
  return [
    bind("chat.import", (x, p) => importChat(deps, media, x.userId, p)),
    bind("chat.import_map", (x, p) => mapImportAuthor(deps, x.userId, p.chatId, p.author, p.userId)),
    bind("chat.import_authors", async (x, p) => {
      await requireChat(deps.storage, x.userId, p.chatId, "import");
      return { authors: await deps.storage.messages.importAuthors(p.chatId) };
    }),
  ];
}
