// Drafts: your unsent text per chat, kept by the server so every device of yours shows
// it (and the chat list says "Draft: …"). Text follows the message rules (at most
// limits.messageTextLengthMax code points, no control characters) but is stored exactly
// as typed; an empty or blank text clears the draft. Sending a message clears it too.
import { type Static, Type } from "@sinclair/typebox";
import { ChatIdSchema, DraftSchema } from "./chats.ts";

export const draftMethods = {
  /** Saves (or with blank text clears) your draft; other devices get draft.updated. */
  "draft.save": {
    params: Type.Object({ chatId: ChatIdSchema, text: Type.String({ maxLength: 65536 }) }),
    result: Type.Object({ draft: Type.Union([DraftSchema, Type.Null()]) }),
  },
} as const;

export type DraftMethodName = keyof typeof draftMethods;
export type DraftParams<M extends DraftMethodName> = Static<(typeof draftMethods)[M]["params"]>;
export type DraftResult<M extends DraftMethodName> = Static<(typeof draftMethods)[M]["result"]>;
