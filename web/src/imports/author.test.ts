import { describe, expect, test } from "vitest";
import { authorKey, authorName, isOwn } from "./author.ts";
import { layoutRows } from "../messages/layout.ts";
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";

const msg = (seq: number, extra: Partial<WireMessage> = {}): WireMessage => ({
  id: `m${seq}`, chatId: "c", seq, senderId: "me", clientId: null, text: `t${seq}`, entities: [], replyToId: null, forward: null,
  silent: true, createdAt: 1_700_000_000_000 + seq * 1000, editedAt: null, deletedAt: null, ...extra,
});
const placeholder = (author: string) => ({ source: "whatsapp" as const, author, mapped: false, missingFiles: 0 });

describe("imported authors", () => {
  test("a placeholder is shown by its export name and is never the importer's own message", () => {
    const m = msg(1, { imported: placeholder("Мария") });
    expect([authorName(m, () => "Me"), isOwn(m, "me"), authorKey(m)]).toEqual(["Мария", false, "import:Мария"]);
    const mapped = msg(2, { senderId: "u2", imported: { ...placeholder("Bob"), mapped: true } });
    expect([authorName(mapped, (id) => `user ${id}`), isOwn(mapped, "u2"), authorKey(mapped)]).toEqual(["user u2", true, "u2"]);
    expect(isOwn(msg(3), "me")).toBe(true);
  });

  test("two placeholders imported by the same person are two groups in the history", () => {
    const rows = layoutRows([msg(1, { imported: placeholder("A") }), msg(2, { imported: placeholder("A") }), msg(3, { imported: placeholder("李") })]);
    expect(rows.filter((r) => r.kind === "msg").map((r) => (r.kind === "msg" ? [r.first, r.last] : null))).toEqual([[true, false], [false, true], [true, true]]);
  });
});
