// Contract of the chat features every adapter must keep: invite links (hash lookup,
// expiry, max uses, revocation, the creator check, the size limit on join), blocks
// (and the AccessContext the store hands to checks), reactions (toggle, limits, counts
// with `mine`, cleanup on delete) and pins (limit, order, cleanup on delete).
import { describe, expect, test } from "bun:test";
import { checkMessage } from "../../chats/access.ts";
import { hashToken, newId } from "../../ids.ts";
import { limits } from "../../limits.ts";
import type { AccessContext, AccessCheck, NewInviteLink } from "../chats-port.ts";
import { group, open, openMsg, send } from "./chats.ts";
import { addUser, expectCode, type GetStorage } from "./fixtures.ts";

const link = (chatId: string, createdBy: string, over: Partial<NewInviteLink> = {}): NewInviteLink => ({
  id: newId(),
  chatId,
  codeHash: hashToken(newId()),
  createdBy,
  createdAt: Date.now(),
  expiresAt: null,
  maxUses: null,
  ...over,
});

export function chatFeaturesContract(get: GetStorage): void {
  describe("chat features", () => {
    test("invite links: found by hash while usable; join counts a use once; used up, expired, revoked refuse", async () => {
      const s = get();
      const { chat, owner } = await group(s);
      const [a, b] = [await addUser(s), await addUser(s)];
      const once = link(chat.id, owner.id, { maxUses: 1 });
      const created = await s.chats.createLink(once, open);
      expect(created.value.link).toMatchObject({ chatId: chat.id, uses: 0, maxUses: 1, revokedAt: null });
      expect(created.value.adminIds).toEqual([owner.id]);
      expect((await s.chats.linkByCode(once.codeHash, Date.now()))!.chat.id).toBe(chat.id);
      const joined = await s.chats.joinByLink(once.codeHash, a.id, Date.now(), open);
      expect(joined.value).toMatchObject({ joined: true, chat: { memberCount: 4 } });
      expect(joined.value.members.map((m) => m.userId)).toEqual([a.id]);
      expect((await s.chats.joinByLink(once.codeHash, a.id, Date.now(), open)).value.joined).toBe(false); // a member: no use
      await expectCode(s.chats.joinByLink(once.codeHash, b.id, Date.now(), open), "invalid_invite");
      expect(await s.chats.linkByCode(once.codeHash, Date.now())).toBeNull();
      // Newest first: a later createdAt, so two links made in one millisecond cannot tie.
      const expiring = link(chat.id, owner.id, { expiresAt: 1000, createdAt: once.createdAt + 1 });
      await s.chats.createLink(expiring, open);
      await expectCode(s.chats.joinByLink(expiring.codeHash, b.id, 1000, open), "invalid_invite");
      const revoked = link(chat.id, owner.id);
      await s.chats.createLink(revoked, open);
      const r = await s.chats.revokeLink(chat.id, revoked.id, owner.id, open, Date.now());
      expect(r.value.changed).toBe(true);
      expect((await s.chats.revokeLink(chat.id, revoked.id, owner.id, open, Date.now())).value.changed).toBe(false);
      await expectCode(s.chats.joinByLink(revoked.codeHash, b.id, Date.now(), open), "invalid_invite");
      await expectCode(s.chats.revokeLink(chat.id, "no-such-link", owner.id, open, Date.now()), "not_found");
      await expectCode(s.chats.joinByLink(hashToken("unknown"), b.id, Date.now(), open), "invalid_invite");
      expect((await s.chats.links(chat.id)).map((l) => l.id)).toEqual([expiring.id, once.id]);
    });

    test("invite links: a retried create returns the link as it is now (revoked, used), acting once", async () => {
      const s = get();
      const { chat, owner } = await group(s, "group", 1);
      const idempotency = { userId: owner.id, key: "link-1", method: "chat.link_create" };
      const l = link(chat.id, owner.id);
      const first = await s.chats.createLink(l, open, { idempotency });
      const x = await addUser(s);
      await s.chats.joinByLink(l.codeHash, x.id, Date.now(), open);
      await s.chats.revokeLink(chat.id, l.id, owner.id, open, 77);
      const retry = await s.chats.createLink(link(chat.id, owner.id), open, { idempotency });
      expect(retry.replayed).toBe(true);
      expect(retry.value.link).toEqual({ ...first.value.link, uses: 1, revokedAt: 77 });
      expect(retry.value.changed).toBe(false);
      expect((await s.chats.links(chat.id)).map((k) => k.id)).toEqual([]); // the only one is revoked: nothing made twice
    });

    test("invite links: the join check sees the creator; the size limit and link count hold", async () => {
      const s = get();
      const { chat, owner, others } = await group(s, "group", 1);
      const l = link(chat.id, owner.id);
      await s.chats.createLink(l, open);
      const seen: unknown[] = [];
      const refuse: AccessCheck = (_c, creator) => {
        seen.push(creator?.userId);
        throw new Error("refused");
      };
      const x = await addUser(s);
      await expect(s.chats.joinByLink(l.codeHash, x.id, Date.now(), refuse)).rejects.toThrow("refused");
      expect(seen).toEqual([owner.id]);
      await expectCode(s.chats.joinByLink(l.codeHash, x.id, Date.now(), open, { membersMax: 2 }), "limit_exceeded");
      expect((await s.chats.view(chat.id, x.id))!.membership).toBeNull();
      await expectCode(s.chats.addMembers(chat.id, owner.id, [x.id], open, () => {}, Date.now(), { membersMax: 2 }), "limit_exceeded");
      expect(others.length).toBe(1);
      for (let i = 1; i < limits.chatInviteLinksPerChatMax; i++) await s.chats.createLink(link(chat.id, owner.id), open);
      await expectCode(s.chats.createLink(link(chat.id, owner.id), open), "limit_exceeded");
    });

    test("blocks: listed by user id, idempotent, unknown users refused; direct chats see blockedByPeer", async () => {
      const s = get();
      const [a, b, c] = [await addUser(s), await addUser(s), await addUser(s)];
      const { value: dm } = await s.chats.openDirect({ id: newId(), userId: a.id, peerId: b.id, now: Date.now() });
      expect((await s.chats.block(a.id, b.id, 5)).value).toEqual({ userId: a.id, blockedId: b.id, changed: true, at: 5 });
      expect((await s.chats.block(a.id, b.id, 9)).value).toMatchObject({ changed: false, at: 5 });
      await s.chats.block(a.id, c.id, 6);
      await expectCode(s.chats.block(a.id, "ghost", 7), "not_found");
      expect(await s.chats.isBlocked(a.id, b.id)).toBe(true);
      expect(await s.chats.isBlocked(b.id, a.id)).toBe(false);
      expect((await s.chats.blocks(a.id, { limit: 10 })).map((x) => x.userId)).toEqual([b.id, c.id].sort());
      const contexts: (AccessContext | undefined)[] = [];
      const spy: AccessCheck = (_c, _m, _t, ctx) => void contexts.push(ctx);
      await s.messages.send({ id: newId(), chatId: dm.chat.id, senderId: b.id, clientId: null, text: "x", entities: [], replyToId: null, forward: null, silent: false, now: Date.now() }, spy);
      await s.messages.send({ id: newId(), chatId: dm.chat.id, senderId: a.id, clientId: null, text: "y", entities: [], replyToId: null, forward: null, silent: false, now: Date.now() }, spy);
      expect(contexts).toEqual([{ blockedByPeer: true }, { blockedByPeer: false }]);
      await expectCode(s.chats.openDirect({ id: newId(), userId: c.id, peerId: a.id, now: Date.now() }), "blocked");
      expect((await s.chats.openDirect({ id: newId(), userId: b.id, peerId: a.id, now: Date.now() })).value.created).toBe(false);
      expect((await s.chats.unblock(a.id, b.id, 8)).value.changed).toBe(true);
      expect((await s.chats.unblock(a.id, b.id, 8)).value.changed).toBe(false);
    });

    test("reactions: toggle, counts with mine, who reacted, limits, gone with a delete for everyone", async () => {
      const s = get();
      const { chat, owner, others } = await group(s, "group", 2);
      const [u, v] = [others[0]!.id, others[1]!.id];
      const m = await send(s, chat.id, owner.id);
      let clock = 0; // counts order by first use
      const t = (userId: string, emoji: string) => s.messages.toggleReaction({ chatId: chat.id, messageId: m.message.id, userId, emoji, now: ++clock }, openMsg);
      expect((await t(u, "👍")).value).toMatchObject({ added: true, counts: [{ emoji: "👍", count: 1 }] });
      await t(v, "👍");
      await t(v, "🎉");
      expect((await t(u, "👍")).value.added).toBe(false);
      await t(u, "👍");
      const map = await s.messages.reactionsOf([m.message.id, "other"], v);
      expect(map.get(m.message.id)).toEqual([
        { emoji: "👍", count: 2, mine: true },
        { emoji: "🎉", count: 1, mine: true },
      ]);
      expect(map.has("other")).toBe(false);
      const first = await s.messages.reactors(m.message.id, "👍", { limit: 1 });
      const rest = await s.messages.reactors(m.message.id, "👍", { limit: 5, afterUserId: first[0]!.userId });
      expect([...first, ...rest].map((r) => r.userId).sort()).toEqual([u, v].sort());
      for (let i = 2; i < limits.reactionsPerUserPerMessageMax; i++) await t(v, String.fromCodePoint(0x1f600 + i)); // v has two already
      await expectCode(t(v, "😀"), "limit_exceeded");
      await expectCode(t("stranger", "👍"), "not_found");
      await s.messages.deleteForEveryone(chat.id, m.message.id, owner.id, openMsg, Date.now());
      expect((await s.messages.reactionsOf([m.message.id], v)).size).toBe(0);
      await expectCode(t(u, "👍"), "not_found"); // a tombstone takes no reactions, whatever the check says
    });

    test("pins: once per message, newest first, bounded, gone with a delete for everyone", async () => {
      const s = get();
      const { chat, owner } = await group(s);
      const [a, b] = [await send(s, chat.id, owner.id), await send(s, chat.id, owner.id)];
      const p1 = await s.messages.pin(chat.id, a.message.id, owner.id, openMsg, 10);
      expect(p1.value).toMatchObject({ changed: true, pin: { pinnedBy: owner.id, pinnedAt: 10 } });
      expect((await s.messages.pin(chat.id, a.message.id, owner.id, openMsg, 20)).value).toMatchObject({ changed: false, pin: { pinnedAt: 10 } });
      await s.messages.pin(chat.id, b.message.id, owner.id, openMsg, 30);
      expect((await s.messages.pinned(chat.id, owner.id)).map((p) => p.message.id)).toEqual([b.message.id, a.message.id]);
      expect((await s.messages.unpin(chat.id, a.message.id, owner.id, openMsg)).value.changed).toBe(true);
      expect((await s.messages.unpin(chat.id, a.message.id, owner.id, openMsg)).value.changed).toBe(false);
      await s.messages.deleteForEveryone(chat.id, b.message.id, owner.id, checkMessage(owner.id, "delete"), Date.now());
      expect(await s.messages.pinned(chat.id, owner.id)).toEqual([]);
      for (let i = 0; i < limits.pinnedMessagesPerChatMax; i++) {
        await s.messages.pin(chat.id, (await send(s, chat.id, owner.id)).message.id, owner.id, openMsg, i);
      }
      await expectCode(s.messages.pin(chat.id, a.message.id, owner.id, openMsg, 0), "limit_exceeded");
    });
  });
}
