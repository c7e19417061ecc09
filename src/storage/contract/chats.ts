// Contract of the chats and messages sub-stores: port only, no SQL. Checks passed to
// the store are the real rules (src/chats/access.ts) where rights matter, and `open`
// (allow everything) where the case is about storage semantics — the store must still
// refuse a stranger with not_found even when a check lets them through.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { checkFor } from "../../chats/access.ts";
import { newId } from "../../ids.ts";
import { limits } from "../../limits.ts";
import type { AccessCheck, AddCandidate, AddCheck, Chat, Membership, NewMessage } from "../chats-port.ts";
import type { Storage } from "../port.ts";
import { addUser, expectCode, type GetStorage } from "./fixtures.ts";
import type { MakeStorage } from "./index.ts";
import { chatsMessagesContract } from "./chats-messages.ts";

export const open: AccessCheck = () => {};
export const anyone: AddCheck = () => {};
export const openMsg = () => {};

export async function group(s: Storage, kind: "group" | "channel" = "group", extra = 2) {
  const owner = await addUser(s);
  const others = await Promise.all(Array.from({ length: extra }, () => addUser(s)));
  const now = Date.now();
  const { value } = await s.chats.create({ id: newId(), kind, title: "T", description: "", ownerId: owner.id, memberIds: others.map((u) => u.id), now }, anyone);
  return { chat: value.chat, owner, others };
}

export function newMessage(chatId: string, senderId: string, over: Partial<NewMessage> = {}): NewMessage {
  return { id: newId(), chatId, senderId, clientId: newId(), text: "hello", entities: [], replyToId: null, forward: null, silent: false, now: Date.now(), ...over };
}

export const send = (s: Storage, chatId: string, senderId: string, over: Partial<NewMessage> = {}) =>
  s.messages.send(newMessage(chatId, senderId, over), open).then((r) => r.value);

/** Chats and messages; storage/contract/index.ts runs this for every adapter. */
export function chatsContract(get: GetStorage): void {
  chatsMessagesContract(get);
  describe("chats", () => {
    test("a direct chat exists once per pair, either way round; saved is the self-pair", async () => {
      const s = get();
      const [a, b] = [await addUser(s), await addUser(s)];
      const first = await s.chats.openDirect({ id: newId(), userId: a.id, peerId: b.id, now: Date.now() });
      expect(first.value).toMatchObject({ created: true, chat: { kind: "direct", memberCount: 2, title: "" } });
      expect(first.value.memberIds.sort()).toEqual([a.id, b.id].sort());
      const again = await s.chats.openDirect({ id: newId(), userId: b.id, peerId: a.id, now: Date.now() });
      expect(again.value.created).toBe(false);
      expect(again.value.chat.id).toBe(first.value.chat.id);
      const saved = await s.chats.openDirect({ id: newId(), userId: a.id, peerId: a.id, now: Date.now() });
      expect(saved.value.chat).toMatchObject({ kind: "saved", memberCount: 1 });
      expect((await s.chats.entryFor(first.value.chat.id, a.id))!.peerId).toBe(b.id);
      expect((await s.chats.entryFor(saved.value.chat.id, a.id))!.peerId).toBe(a.id);
      await expectCode(s.chats.openDirect({ id: newId(), userId: a.id, peerId: "nobody", now: Date.now() }), "not_found");
    });

    test("create: owner and members, unknown member refused, size bounded", async () => {
      const s = get();
      const { chat, owner, others } = await group(s);
      expect(chat).toMatchObject({ kind: "group", title: "T", memberCount: 3, lastSeq: 0, createdBy: owner.id });
      const view = await s.chats.view(chat.id, owner.id);
      expect(view!.membership).toMatchObject({ role: "owner", readSeq: 0, muted: false, archived: false, pinnedAt: null });
      expect((await s.chats.view(chat.id, others[0]!.id))!.membership!.role).toBe("member");
      expect((await s.chats.view(chat.id, "stranger"))!.membership).toBeNull();
      expect(await s.chats.view("no-such-chat", owner.id)).toBeNull();
      const bad = { id: newId(), kind: "group" as const, title: "x", description: "", ownerId: owner.id, memberIds: ["ghost"], now: Date.now() };
      await expectCode(s.chats.create(bad, anyone), "not_found");
      const many = Array.from({ length: limits.groupMembersMax }, (_, i) => `u${i}`);
      await expectCode(s.chats.create({ ...bad, id: newId(), memberIds: many }, anyone), "limit_exceeded");
    });

    test("members: add skips existing, remove reports the removed to themselves, roles, counts", async () => {
      const s = get();
      const { chat, owner, others } = await group(s);
      const [c, d] = [await addUser(s), await addUser(s)];
      await send(s, chat.id, owner.id);
      const added = await s.chats.addMembers(chat.id, owner.id, [c.id, d.id, others[0]!.id], open, anyone, Date.now());
      expect(added.value.members.map((m) => m.userId).sort()).toEqual([c.id, d.id].sort());
      expect(added.value.chat.memberCount).toBe(5);
      expect(added.value.lastMessage?.seq).toBe(1);
      expect((await s.chats.view(chat.id, c.id))!.membership!.readSeq).toBe(1); // joined: nothing unread
      const removed = await s.chats.removeMember(chat.id, owner.id, c.id, open);
      expect(removed.value.memberIds).toContain(c.id);
      expect(removed.value.chat.memberCount).toBe(4);
      expect((await s.chats.view(chat.id, c.id))!.membership).toBeNull();
      await expectCode(s.chats.removeMember(chat.id, owner.id, c.id, open), "not_found");
      const promoted = await s.chats.setRole(chat.id, owner.id, d.id, "admin", open);
      expect(promoted.value.members[0]).toMatchObject({ userId: d.id, role: "admin" });
      const page1 = await s.chats.members(chat.id, { limit: 2 });
      const page2 = await s.chats.members(chat.id, { limit: 10, afterUserId: page1.at(-1)!.userId });
      expect([...page1, ...page2].length).toBe(4);
    });

    test("the store re-checks rights in the transaction, with the target's membership", async () => {
      const s = get();
      const { chat, owner, others } = await group(s);
      const member = others[0]!.id;
      const seen: (Membership | null | undefined)[] = [];
      const spy: AccessCheck = (_c: Chat, _a, target) => void seen.push(target);
      await s.chats.setRole(chat.id, owner.id, member, "admin", spy);
      expect(seen[0]).toMatchObject({ userId: member, role: "member" });
      const memberRemovesOwner = checkFor(member, (t) => ({ do: "remove_member", target: t.role }));
      await expectCode(s.chats.removeMember(chat.id, member, owner.id, memberRemovesOwner), "forbidden");
      await expectCode(s.chats.update(chat.id, "stranger", { title: "x" }, open, Date.now()), "not_found");
      await expectCode(s.chats.update(chat.id, others[1]!.id, { title: "x" }, checkFor(others[1]!.id, "edit_info"), Date.now()), "forbidden");
      const renamed = await s.chats.update(chat.id, owner.id, { title: "New" }, checkFor(owner.id, "edit_info"), Date.now());
      expect(renamed.value.chat.title).toBe("New");
      expect(renamed.value.memberIds.length).toBe(3);
    });

    test("flags are per member; pinning again keeps the first pin time", async () => {
      const s = get();
      const { chat, owner, others } = await group(s);
      const m1 = await s.chats.setFlags(chat.id, owner.id, { muted: true, pinned: true }, open, 1000);
      expect(m1.value).toMatchObject({ muted: true, archived: false, pinnedAt: 1000 });
      const m2 = await s.chats.setFlags(chat.id, owner.id, { archived: true, pinned: true }, open, 2000);
      expect(m2.value).toMatchObject({ muted: true, archived: true, pinnedAt: 1000 });
      expect((await s.chats.setFlags(chat.id, owner.id, { pinned: false }, open, 3000)).value.pinnedAt).toBeNull();
      expect((await s.chats.view(chat.id, others[0]!.id))!.membership).toMatchObject({ muted: false, archived: false });
      await expectCode(s.chats.setFlags(chat.id, "stranger", { muted: true }, open, 1), "not_found");
    });

    test("adds: the AddCheck sees each newcomer's block, setting and shared chats, in the transaction", async () => {
      const s = get();
      const { chat, owner, others } = await group(s);
      const [friend, stranger, blocker, quiet] = await Promise.all([addUser(s), addUser(s), addUser(s), addUser(s)]);
      await s.chats.openDirect({ id: newId(), userId: owner.id, peerId: friend.id, now: Date.now() });
      await s.chats.block(blocker.id, owner.id, Date.now());
      await s.presence.setPrivacy(quiet.id, { groupAdd: "nobody" });
      const seen: AddCandidate[][] = [];
      const refuse: AddCheck = (c) => {
        seen.push(c);
        throw new Error("refused");
      };
      const ids = [friend.id, stranger.id, blocker.id, quiet.id, others[0]!.id];
      await expect(s.chats.addMembers(chat.id, owner.id, ids, open, refuse, Date.now())).rejects.toThrow("refused");
      expect(seen[0]).toEqual([
        { userId: friend.id, blockedActor: false, groupAdd: "everyone", sharesChat: true },
        { userId: stranger.id, blockedActor: false, groupAdd: "everyone", sharesChat: false },
        { userId: blocker.id, blockedActor: true, groupAdd: "everyone", sharesChat: false },
        { userId: quiet.id, blockedActor: false, groupAdd: "nobody", sharesChat: false },
      ]); // an existing member is not a newcomer
      expect((await s.chats.view(chat.id, friend.id))!.membership).toBeNull(); // refused: nothing added
      const create = { id: newId(), kind: "channel" as const, title: "C", description: "", ownerId: owner.id, memberIds: [blocker.id], now: Date.now() };
      await expect(s.chats.create(create, refuse)).rejects.toThrow("refused");
      expect(seen[1]).toEqual([{ userId: blocker.id, blockedActor: true, groupAdd: "everyone", sharesChat: false }]);
      expect(await s.chats.view(create.id, owner.id)).toBeNull();
      // A channel is not a shared chat; a group is.
      const { value } = await s.chats.create({ ...create, memberIds: [stranger.id] }, anyone);
      await expect(s.chats.addMembers(chat.id, owner.id, [stranger.id], open, refuse, Date.now())).rejects.toThrow("refused");
      expect(seen[2]![0]!.sharesChat).toBe(false);
      expect(value.chat.kind).toBe("channel");
      await s.chats.create({ ...create, id: newId(), kind: "group", memberIds: [stranger.id] }, anyone);
      await expect(s.chats.addMembers(chat.id, owner.id, [stranger.id], open, refuse, Date.now())).rejects.toThrow("refused");
      expect(seen[3]![0]!.sharesChat).toBe(true);
    });

    test("chat list: most recently active first, paged, with counts and the last visible message", async () => {
      const s = get();
      const { chat: g1, owner, others } = await group(s);
      const { value: g2 } = await s.chats.create({ id: newId(), kind: "group", title: "Two", description: "", ownerId: owner.id, memberIds: [others[0]!.id], now: Date.now() + 1 }, anyone);
      await send(s, g1.id, others[0]!.id, { now: Date.now() + 5, text: "older" });
      const hidden = await send(s, g1.id, others[0]!.id, { now: Date.now() + 6, text: "newest" });
      await s.messages.deleteForMe(g1.id, hidden.message.id, owner.id, openMsg);
      const list = await s.chats.listForUser(owner.id, { limit: 10 });
      expect(list.map((e) => e.chat.id)).toEqual([g1.id, g2.chat.id]);
      expect(list[0]).toMatchObject({ unreadCount: 1, unreadMentionCount: 0, peerId: null });
      expect(list[0]!.lastMessage!.text).toBe("older");
      const page = await s.chats.listForUser(owner.id, { limit: 1, before: { lastAt: list[0]!.chat.lastAt, chatId: list[0]!.chat.id } });
      expect(page.map((e) => e.chat.id)).toEqual([g2.chat.id]);
      expect(await s.chats.listForUser("stranger", { limit: 10 })).toEqual([]);
    });

    test("mentions resolve among members only, case-insensitively", async () => {
      const s = get();
      const { chat, others } = await group(s);
      const outsider = await addUser(s);
      const found = await s.chats.membersByUsername(chat.id, [others[0]!.username.toUpperCase(), outsider.username]);
      expect([...found.values()]).toEqual([others[0]!.id]);
    });
  });
}

export function runChatsContract(name: string, make: MakeStorage): void {
  describe(`chats contract: ${name}`, () => {
    let current: Awaited<ReturnType<MakeStorage>> | null = null;
    beforeEach(async () => {
      current = await make();
    });
    afterEach(async () => {
      await current?.cleanup();
      current = null;
    });
    const get = () => current!.storage;
    chatsContract(get);
  });
}
