import { expect, test } from "vitest";
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import { cachedMessagesMax, fromCache, toCache } from "./cache.ts";
import { applySnapshot, emptyState } from "./state.ts";

const me = { id: "u1", username: "ann", displayName: "Ann", bio: "", role: "member" as const, createdAt: 1, totpEnabled: false };
const msg = (seq: number): WireMessage => ({ id: `m${seq}`, chatId: "c1", seq, senderId: "u2", clientId: null, text: "x", entities: [], replyToId: null, forward: null, silent: false, createdAt: seq, editedAt: null, deletedAt: null });

test("the cache keeps the newest messages of windows at the end and restores only for the same user", () => {
  const s = emptyState();
  applySnapshot(s, { accounts: { me }, chats: { chats: [], hasMore: false } }, 5);
  s.windows.c1 = { items: Array.from({ length: 80 }, (_, i) => msg(i + 1)), hasBefore: false, hasAfter: false };
  s.windows.c2 = { items: [msg(1)], hasBefore: true, hasAfter: true };
  const c = JSON.parse(JSON.stringify(toCache(s, 1000)));
  expect(c.windows.c1.items.length).toBe(cachedMessagesMax);
  expect(c.windows.c1.items.at(-1).seq).toBe(80);
  expect(c.windows.c1.hasBefore).toBe(true);
  expect(c.windows.c2).toBeUndefined();

  const other = emptyState();
  expect(fromCache(other, c, "someone-else")).toBe(false);
  expect(other.me).toBeNull();
  const same = emptyState();
  expect(fromCache(same, c, "u1")).toBe(true);
  expect(same.me?.username).toBe("ann");
  expect(fromCache(same, c, "u1")).toBe(false); // a state that has data is never overwritten
});
