// Contract of drafts: one per member and chat, replaced by a save, cleared by a null
// save or by sending (not forwarding), shown in the member's chat-list entry only,
// refused by the check, and gone with the membership.
import { describe, expect, test } from "bun:test";
import { AppError } from "../../errors.ts";
import type { AccessCheck } from "../chats-port.ts";
import { anyone, group, open, send } from "./chats.ts";
import { expectCode, type GetStorage } from "./fixtures.ts";

const refuse: AccessCheck = () => {
  throw new AppError("forbidden", "no");
};

export function draftsContract(get: GetStorage): void {
  describe("drafts", () => {
    test("a save replaces the member's draft; the same text again changes nothing; null clears it", async () => {
      const s = get();
      const { chat, owner, others } = await group(s);
      const first = await s.chats.saveDraft({ chatId: chat.id, userId: owner.id, text: "hello 🏡", now: 1000 }, open);
      expect(first.value).toEqual({ chatId: chat.id, userId: owner.id, draft: { text: "hello 🏡", updatedAt: 1000 }, changed: true });
      const same = await s.chats.saveDraft({ chatId: chat.id, userId: owner.id, text: "hello 🏡", now: 2000 }, open);
      expect(same.value).toMatchObject({ draft: { text: "hello 🏡", updatedAt: 1000 }, changed: false });
      await s.chats.saveDraft({ chatId: chat.id, userId: owner.id, text: "hello again", now: 3000 }, open);
      expect((await s.chats.entryFor(chat.id, owner.id))!.draft).toEqual({ text: "hello again", updatedAt: 3000 });
      expect((await s.chats.entryFor(chat.id, others[0]!.id))!.draft).toBeNull(); // private to its writer
      expect((await s.chats.listForUser(owner.id, { limit: 10 }))[0]!.draft).toEqual({ text: "hello again", updatedAt: 3000 });
      expect((await s.chats.saveDraft({ chatId: chat.id, userId: owner.id, text: null, now: 4000 }, open)).value).toMatchObject({ draft: null, changed: true });
      expect((await s.chats.saveDraft({ chatId: chat.id, userId: owner.id, text: null, now: 5000 }, open)).value.changed).toBe(false);
      expect((await s.chats.entryFor(chat.id, owner.id))!.draft).toBeNull();
    });

    test("sending clears the sender's draft in that chat only; a forward does not", async () => {
      const s = get();
      const { chat, owner, others } = await group(s);
      const other = (await group(s)).chat;
      const save = (chatId: string, userId: string, text: string) => s.chats.saveDraft({ chatId, userId, text, now: Date.now() }, open);
      await save(chat.id, owner.id, "mine");
      await save(chat.id, others[0]!.id, "theirs");
      const forwarded = await send(s, chat.id, owner.id, { forward: { chatId: other.id, messageId: "m", senderId: owner.id, at: 1 } });
      expect(forwarded.draftCleared).toBe(false);
      expect((await s.chats.entryFor(chat.id, owner.id))!.draft?.text).toBe("mine");
      const sent = await send(s, chat.id, owner.id);
      expect(sent.draftCleared).toBe(true);
      expect((await s.chats.entryFor(chat.id, owner.id))!.draft).toBeNull();
      expect((await s.chats.entryFor(chat.id, others[0]!.id))!.draft?.text).toBe("theirs");
      expect((await send(s, chat.id, owner.id)).draftCleared).toBe(false); // nothing left to clear
    });

    test("the check runs in the transaction; strangers get not_found; leaving deletes the draft", async () => {
      const s = get();
      const { chat, owner, others } = await group(s);
      const member = others[0]!;
      await expectCode(s.chats.saveDraft({ chatId: chat.id, userId: member.id, text: "x", now: 1 }, refuse), "forbidden");
      expect((await s.chats.entryFor(chat.id, member.id))!.draft).toBeNull();
      const stranger = (await group(s)).owner;
      await expectCode(s.chats.saveDraft({ chatId: chat.id, userId: stranger.id, text: "x", now: 1 }, open), "not_found");
      await expectCode(s.chats.saveDraft({ chatId: "no-such-chat", userId: owner.id, text: "x", now: 1 }, open), "not_found");
      await s.chats.saveDraft({ chatId: chat.id, userId: member.id, text: "before leaving", now: 1 }, open);
      await s.chats.removeMember(chat.id, member.id, member.id, open);
      await s.chats.addMembers(chat.id, owner.id, [member.id], open, anyone, Date.now());
      expect((await s.chats.entryFor(chat.id, member.id))!.draft).toBeNull(); // a new membership starts without one
    });
  });
}
