// Who a message is by, for imported history (chat.import): a placeholder author (not
// mapped to a member) is shown by the name the export had, even though its senderId is
// whoever imported it; a mapped one is its member like any message.
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";

type M = Pick<WireMessage, "senderId" | "imported">;

export const isPlaceholder = (m: M): boolean => m.imported !== undefined && !m.imported.mapped;

/** Groups messages by author: placeholders by their name, everyone else by user id. */
export const authorKey = (m: M): string => (isPlaceholder(m) ? `import:${m.imported!.author}` : m.senderId);

/** The name to show: the export's for a placeholder, else the member's (from `nameOf`). */
export const authorName = (m: M, nameOf: (id: string) => string): string => (isPlaceholder(m) ? m.imported!.author : nameOf(m.senderId));

/** Is this message the viewer's own (a placeholder never is, whoever imported it). */
export const isOwn = (m: M, meId: string | undefined): boolean => m.senderId === meId && !isPlaceholder(m);
