// Files picked for the next message of each chat (paperclip, camera, drop, paste), before
// they are sent: shown in the composer's tray, at most albumMax per message.
import { createSignal } from "solid-js";
import { createStore, produce } from "solid-js/store";
import { addUpTo, albumMax } from "./logic.ts";

export interface Picked {
  id: string;
  file: File;
  url: string | null; // a blob: URL for the tray's thumbnail (images and videos)
}

const [picked, setPicked] = createStore<Record<string, Picked[]>>({});
/** Per chat: a short notice for the tray (e.g. files beyond albumMax were left out). */
const [notice, setNotice] = createSignal<{ chatId: string; refused: number } | null>(null);
export { notice, setNotice };

export const pickedOf = (chatId: string): Picked[] => picked[chatId] ?? [];

const previewable = (f: File) => f.type.startsWith("image/") || f.type.startsWith("video/");

export function addPicked(chatId: string, files: readonly File[]): void {
  const incoming: Picked[] = files.filter((f) => f.size > 0).map((file) => ({ id: crypto.randomUUID() as string, file, url: null }));
  const { list, refused } = addUpTo(pickedOf(chatId), incoming, albumMax);
  for (const p of list) if (p.url === null && incoming.includes(p) && previewable(p.file)) p.url = URL.createObjectURL(p.file);
  setPicked(chatId, list);
  setNotice(refused > 0 ? { chatId, refused } : null);
}

export function removePicked(chatId: string, id: string): void {
  const p = pickedOf(chatId).find((x) => x.id === id);
  if (p?.url) URL.revokeObjectURL(p.url);
  setPicked(produce((s) => void (s[chatId] = (s[chatId] ?? []).filter((x) => x.id !== id))));
  setNotice(null);
}

/** Empties the tray for sending; the files go to the outbox. */
export function takePicked(chatId: string): File[] {
  const list = pickedOf(chatId);
  for (const p of list) if (p.url) URL.revokeObjectURL(p.url);
  setPicked(chatId, []);
  setNotice(null);
  return list.map((p) => p.file);
}

/** Files in a drop or paste (DataTransfer), ignoring plain text and folders. */
export function filesOf(dt: DataTransfer | null): File[] {
  if (!dt) return [];
  const out: File[] = [];
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind !== "file") continue;
    const f = item.getAsFile();
    if (f) out.push(f);
  }
  if (out.length === 0) out.push(...Array.from(dt.files ?? []));
  return out;
}

export const carriesFiles = (dt: DataTransfer | null): boolean => !!dt && Array.from(dt.types ?? []).includes("Files");
