// Avatars through the client state: snapshot + events equals a fresh snapshot.
import { expect, test } from "vitest";
import type { ChatEntry } from "../../../src/protocol/methods/chats.ts";
import { applyEvent, applySnapshot, emptyState } from "../sync/state.ts";

const me = { id: "u1", username: "ann", displayName: "Ann", bio: "", role: "member" as const, createdAt: 1, totpEnabled: false };
const pic = { id: "med1", placeholder: "1QcSHQRnh493V4dIh4eXh1h4kJUI" };
const group = (avatar?: typeof pic): ChatEntry => ({
  chat: { id: "g1", kind: "group", title: "Family", description: "", createdBy: "u1", createdAt: 1, memberCount: 3, lastSeq: 0, lastAt: 1, spaceId: null, ...(avatar ? { avatar } : {}) },
  pos: 0,
  me: { role: "owner", notify: { level: "all", muteUntil: null }, joinedAt: 1, readSeq: 0, muted: false, archived: false, pinnedAt: null },
  peerId: null, unreadCount: 0, unreadMentionCount: 0, lastMessage: null,
});
const snap = (avatar: typeof pic | undefined, chatAvatar?: typeof pic) => ({
  accounts: { me: { ...me, ...(avatar ? { avatar } : {}) } },
  chats: { chats: [group(chatAvatar)], hasMore: false },
});
const fresh = (avatar?: typeof pic, chatAvatar?: typeof pic) => {
  const s = emptyState();
  applySnapshot(s, snap(avatar, chatAvatar), 10);
  return s;
};

test("my avatar: set and removed by user.updated, as a fresh snapshot has it", () => {
  const s = fresh();
  const { totpEnabled: _, ...pub } = me;
  applyEvent(s, { id: 11, type: "user.updated", data: { user: { ...pub, avatar: pic } }, at: 1 });
  expect(s.me).toEqual(fresh(pic).me);
  expect(s.users.u1).toEqual(fresh(pic).users.u1);
  applyEvent(s, { id: 12, type: "user.updated", data: { user: pub }, at: 2 });
  expect(s.me).toEqual(fresh().me);
  expect(s.users.u1).toEqual(fresh().users.u1);
});

test("a group's avatar: set and removed by chat.updated", () => {
  const s = fresh();
  applyEvent(s, { id: 11, type: "chat.updated", data: { chat: group(pic).chat }, at: 1 });
  expect(s.chats.g1).toEqual(fresh(undefined, pic).chats.g1);
  applyEvent(s, { id: 12, type: "chat.updated", data: { chat: group().chat }, at: 2 });
  expect(s.chats.g1).toEqual(fresh().chats.g1);
});
