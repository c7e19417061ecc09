// History paging by seq, as one user sees it (their deleted-for-me messages skipped,
// tombstones kept). Every anchor becomes two bounds: the "before" part is seq < lo,
// the "after" part is seq >= hi. Each part reads at most limit + 1 rows through the
// (chat_id, seq) index, the extra row telling whether more exists.
import type { Database } from "bun:sqlite";
import type { Anchor, Direction, MessagePage } from "../../chats-port.ts";
import { chatNotFound, chatRow, membership } from "./queries.ts";
import { type MessageRow, messageCols, toMessage } from "./rows.ts";

const VISIBLE = "m.chat_id = ?1 AND NOT EXISTS (SELECT 1 FROM message_hidden h WHERE h.user_id = ?2 AND h.message_id = m.id)";
const BEFORE = `SELECT ${messageCols("m")} FROM messages m WHERE ${VISIBLE} AND m.seq < ?3 ORDER BY m.seq DESC LIMIT ?4`;
const AFTER = `SELECT ${messageCols("m")} FROM messages m WHERE ${VISIBLE} AND m.seq >= ?3 ORDER BY m.seq ASC LIMIT ?4`;

function bounds(anchor: Anchor, direction: Direction, lastSeq: number, readSeq: number): { lo: number; hi: number; direction: Direction } {
  // "latest" reads backwards from the end whatever the direction: there is nothing after it.
  if (anchor === "latest") return { lo: lastSeq + 1, hi: lastSeq + 1, direction: "before" };
  // The first unread message opens the "after" part; the last read one closes "before".
  if (anchor === "first_unread") return { lo: readSeq + 1, hi: readSeq + 1, direction };
  // A message anchor: "before" and "after" exclude it; "around" puts it first in the after part.
  return { lo: anchor.seq, hi: direction === "around" ? anchor.seq : anchor.seq + 1, direction };
}

export function listPage(db: Database, chatId: string, userId: string, anchor: Anchor, direction: Direction, limit: number): MessagePage {
  const chat = chatRow(db, chatId);
  const me = chat ? membership(db, chatId, userId) : null;
  if (!chat || !me) throw chatNotFound();
  const b = bounds(anchor, direction, chat.last_seq, me.readSeq);
  const read = (sql: string, bound: number, n: number) => db.query(sql).all(chatId, userId, bound, n) as MessageRow[];
  let before: MessageRow[] = [];
  let after: MessageRow[] = [];
  let takeBefore = 0;
  let takeAfter = 0;
  if (b.direction === "before") {
    before = read(BEFORE, b.lo, limit + 1);
    after = read(AFTER, b.lo, 1); // only to know whether anything follows
    takeBefore = Math.min(limit, before.length);
  } else if (b.direction === "after") {
    after = read(AFTER, b.hi, limit + 1);
    before = read(BEFORE, b.hi, 1);
    takeAfter = Math.min(limit, after.length);
  } else {
    before = read(BEFORE, b.lo, limit + 1);
    after = read(AFTER, b.hi, limit + 1);
    // Centre the page; when one side runs short, the other fills the rest.
    const half = Math.floor(limit / 2);
    takeAfter = Math.min(after.length, Math.max(limit - half, limit - before.length));
    takeBefore = Math.min(before.length, limit - takeAfter);
  }
  const rows = [...before.slice(0, takeBefore).reverse(), ...after.slice(0, takeAfter)];
  return { messages: rows.map(toMessage), hasBefore: before.length > takeBefore, hasAfter: after.length > takeAfter, readSeq: me.readSeq };
}

const KINDS = { photos: ["photo"], videos: ["video"], files: ["file", "audio"], voice: ["voice"] } as const;
const HAS_MEDIA = (kinds: readonly string[]) =>
  `EXISTS (SELECT 1 FROM message_media mm JOIN media d ON d.id = mm.media_id WHERE mm.message_id = m.id AND d.kind IN (${kinds.map((k) => `'${k}'`).join(", ")}))`;
const HAS_LINK = "(EXISTS (SELECT 1 FROM message_previews p WHERE p.message_id = m.id) OR instr(m.text, '://') > 0)";

/**
 * The media tab's page: newest first through the (chat_id, seq) index, each row tested by a
 * primary-key probe of message_media (or message_previews), so a page costs the rows it
 * walks past, not the chat's size.
 */
export function listMediaPage(db: Database, chatId: string, userId: string, tab: keyof typeof KINDS | "links", beforeSeq: number | null, limit: number) {
  const chat = chatRow(db, chatId);
  if (!chat || !membership(db, chatId, userId)) throw chatNotFound();
  const test = tab === "links" ? HAS_LINK : HAS_MEDIA(KINDS[tab]);
  const sql = `SELECT ${messageCols("m")} FROM messages m WHERE ${VISIBLE} AND m.deleted_at IS NULL AND m.seq < ?3 AND ${test} ORDER BY m.seq DESC LIMIT ?4`;
  const rows = db.query(sql).all(chatId, userId, beforeSeq ?? chat.last_seq + 1, limit + 1) as MessageRow[];
  return { messages: rows.slice(0, limit).map(toMessage), hasMore: rows.length > limit };
}
