// What a parsed export is, whatever messenger it came from: the parsers (telegram.ts,
// whatsapp.ts) turn an archive's chat file into this; plan.ts and the store write it.
import type { ImportSource } from "../protocol/methods/imports.ts";

export type { ImportSource };

export interface ImportedFile {
  /** The entry in the archive; null when the export says the file was not included. */
  path: string | null;
  name: string; // shown on the attachment (the file's own name)
  voice: boolean; // a voice message (Telegram media_type voice_message, WhatsApp PTT/AUDIO .opus)
}

export interface ImportedMessage {
  ref: string; // the export's own id (Telegram) or the chat file's line (WhatsApp), for errors and replies
  author: string; // the sender's name as the export shows it
  at: number; // ms epoch
  text: string;
  editedAt: number | null;
  replyToRef: string | null;
  files: ImportedFile[];
}

export interface ParsedExport {
  source: ImportSource;
  title: string; // the chat's name where the export has one
  chatFile: string; // the archive entry the messages came from
  messages: ImportedMessage[];
  /** Service messages (joins, title changes, pins; WhatsApp lines without a sender): not imported. */
  serviceSkipped: number;
  /** Messages with nothing Hearth shows (polls, locations, contacts, games): not imported. */
  unsupportedSkipped: number;
}

/** Archive entry names relative to the folder of the chat file ("" at the root). */
export const dirOf = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/") + 1) : "");
