// The web side of chat.import: the export ZIP goes up through the one resumable upload
// client (progress as it goes), then chat.import runs it, waited for up to
// importCallTimeoutMs (not the usual call timeout: every photo passes the server's image
// pipeline, and imports queue behind one another).
import type { ImportReport } from "../../../src/protocol/methods/imports.ts";
import { request, httpAuth } from "../net/connection.ts";
import { upload } from "../net/upload.ts";

export const importCallTimeoutMs = 15 * 60_000;

export type ImportStep = { step: "upload"; sent: number; total: number } | { step: "import" };

export async function importExport(file: File, target: { chatId: string } | { title: string }, onStep: (s: ImportStep) => void): Promise<ImportReport> {
  const auth = httpAuth();
  if (!auth) throw Object.assign(new Error("Not connected"), { code: "disconnected" });
  onStep({ step: "upload", sent: 0, total: file.size });
  const media = await upload({ blob: file, spec: { purpose: "attachment", name: file.name || "export.zip" }, auth, onProgress: (sent, total) => onStep({ step: "upload", sent, total }) });
  onStep({ step: "import" });
  const params = "chatId" in target ? { mediaId: media.id, chatId: target.chatId } : { mediaId: media.id, ...(target.title.trim() ? { title: target.title.trim() } : {}) };
  return request("chat.import", params, { timeoutMs: importCallTimeoutMs });
}

export const importAuthors = (chatId: string) => request("chat.import_authors", { chatId }).then((r) => r.authors);
export const mapAuthor = (chatId: string, author: string, userId: string | null) => request("chat.import_map", { chatId, author, userId });
