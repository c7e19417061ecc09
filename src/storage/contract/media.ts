// Contract of the media sub-store: uploads with quotas and offsets, finishing into media
// rows over deduplicated blobs, who may read a media, attachments on messages (forward
// keeps them, delete for everyone drops them), pictures, and what the GC may collect.
import { describe, expect, test } from "bun:test";
import { newId } from "../../ids.ts";
import type { NewMedia, NewUpload, QuotaBounds } from "../media-port.ts";
import type { Storage } from "../port.ts";
import { group, send } from "./chats.ts";
import { addUser, expectCode, type GetStorage } from "./fixtures.ts";

const NO_QUOTA: QuotaBounds = { fileBytesMax: 0, userBytesMax: 0, serverBytesMax: 0 };
const sha = (c: string) => c.repeat(64).slice(0, 64);

export function newUpload(userId: string, over: Partial<NewUpload> = {}): NewUpload {
  return { id: newId(), userId, purpose: "attachment", chatId: null, forMediaId: null, name: "a.bin", size: 100, waveform: null, durationMs: null, createdAt: Date.now(), ...over };
}

export function newMedia(ownerId: string | null, over: Partial<NewMedia> = {}): NewMedia {
  return {
    id: newId(), ownerId, purpose: "attachment", blob: { sha256: sha("a"), size: 100 }, mime: "image/png", kind: "photo", name: "a.png",
    width: 10, height: 20, durationMs: null, waveform: null, placeholder: null, thumbs: false, now: Date.now(), variants: [], ...over,
  };
}

/** An upload of `userId` finished into a media. */
export async function finished(s: Storage, userId: string, over: Partial<NewMedia> = {}) {
  const up = await s.media.createUpload(newUpload(userId, { size: over.blob?.size ?? 100, purpose: over.purpose === "preview" || !over.purpose ? "attachment" : over.purpose }), NO_QUOTA);
  return s.media.finishUpload(up.id, newMedia(userId, over));
}

export function mediaContract(get: GetStorage): void {
  describe("media", () => {
    test("quotas count unfinished uploads and finished media; each scope reports its numbers", async () => {
      const s = get();
      const [a, b] = [await addUser(s), await addUser(s)];
      const q = { fileBytesMax: 1000, userBytesMax: 1500, serverBytesMax: 2500 };
      const big = await expectCode(s.media.createUpload(newUpload(a.id, { size: 1001 }), q), "quota_exceeded");
      expect(big.data).toEqual({ scope: "file", usedBytes: 1001, limitBytes: 1000 });
      await s.media.createUpload(newUpload(a.id, { size: 900 }), q);
      await finished(s, a.id, { blob: { sha256: sha("b"), size: 500 } });
      const user = await expectCode(s.media.createUpload(newUpload(a.id, { size: 101 }), q), "quota_exceeded");
      expect(user.data).toEqual({ scope: "user", usedBytes: 1400, limitBytes: 1500 });
      await s.media.createUpload(newUpload(b.id, { size: 1000 }), q);
      const server = await expectCode(s.media.createUpload(newUpload(b.id, { size: 101 }), q), "quota_exceeded");
      expect(server.data).toEqual({ scope: "server", usedBytes: 2400, limitBytes: 2500 });
      expect(await s.media.usage(a.id)).toEqual({ usedBytes: 1400, uploadsInProgress: 1 });
    });

    test("offsets move only from where they are; a finished or deleted upload is gone", async () => {
      const s = get();
      const a = await addUser(s);
      const up = await s.media.createUpload(newUpload(a.id), NO_QUOTA);
      expect((await s.media.advanceUpload(up.id, 0, 40, 5)).offset).toBe(40);
      const e = await expectCode(s.media.advanceUpload(up.id, 0, 10, 6), "upload_offset_mismatch");
      expect(e.data).toEqual({ offset: 40 });
      expect((await s.media.upload(up.id))?.offset).toBe(40);
      await s.media.finishUpload(up.id, newMedia(a.id));
      expect(await s.media.upload(up.id)).toBeNull();
      await expectCode(s.media.advanceUpload(up.id, 40, 50, 7), "upload_not_found");
      await expectCode(s.media.finishUpload(up.id, newMedia(a.id)), "upload_not_found");
      const other = await s.media.createUpload(newUpload(a.id), NO_QUOTA);
      expect(await s.media.deleteUpload(other.id)).toBe(true);
      expect(await s.media.deleteUpload(other.id)).toBe(false);
    });

    test("one blob row per content; variants and posters point at blobs too", async () => {
      const s = get();
      const a = await addUser(s);
      const m1 = await finished(s, a.id, { variants: [{ name: "thumb320", blob: { sha256: sha("c"), size: 10 }, mime: "image/webp", width: 320, height: 200 }] });
      const m2 = await finished(s, a.id);
      expect(m1.blob).toEqual(m2.blob);
      expect(m1.thumbs).toBe(false);
      expect((await s.media.stats(5)).blobCount).toBe(2);
      const up = await s.media.createUpload(newUpload(a.id, { purpose: "poster", forMediaId: m2.id }), NO_QUOTA);
      const withPoster = await s.media.finishPoster(up.id, m2.id, { name: "poster", blob: { sha256: sha("d"), size: 5 }, mime: "image/jpeg", width: 1, height: 1 });
      expect(withPoster.poster).toBe(true);
      expect((await s.media.variants(m2.id)).map((v) => v.name)).toEqual(["poster"]);
      const stranger = await addUser(s);
      const up2 = await s.media.createUpload(newUpload(stranger.id, { purpose: "poster" }), NO_QUOTA);
      await expectCode(s.media.finishPoster(up2.id, m2.id, { name: "poster", blob: { sha256: sha("e"), size: 5 }, mime: "image/jpeg", width: 1, height: 1 }), "not_found");
    });

    test("readers: the uploader, members of a chat with a live message carrying it, anyone for avatars", async () => {
      const s = get();
      const g = await group(s, "group", 1);
      const [member] = g.others;
      const outsider = await addUser(s);
      const m = await finished(s, g.owner.id);
      expect(await s.media.mayRead(m.id, g.owner.id)).toBe(true);
      expect(await s.media.mayRead(m.id, member!.id)).toBe(false);
      const msg = await send(s, g.chat.id, g.owner.id, { text: "", media: { ids: [m.id], from: null } });
      expect(msg.message.attachments?.map((x) => x.id)).toEqual([m.id]);
      expect(await s.media.mayRead(m.id, member!.id)).toBe(true);
      expect(await s.media.mayRead(m.id, outsider.id)).toBe(false);
      await s.chats.removeMember(g.chat.id, g.owner.id, member!.id, () => {});
      expect(await s.media.mayRead(m.id, member!.id)).toBe(false);
      const av = await finished(s, g.owner.id, { purpose: "avatar", blob: { sha256: sha("f"), size: 9 } });
      expect(await s.media.mayRead(av.id, outsider.id)).toBe(true);
      expect(await s.media.mayRead("nope", g.owner.id)).toBe(false);
    });

    test("send attaches only your finished media; a forward keeps them; delete for everyone drops them", async () => {
      const s = get();
      const g = await group(s, "group", 1);
      const [member] = g.others;
      const mine = await finished(s, g.owner.id);
      const theirs = await finished(s, member!.id);
      await expectCode(send(s, g.chat.id, g.owner.id, { media: { ids: [theirs.id], from: null } }), "not_found");
      const av = await finished(s, g.owner.id, { purpose: "avatar" });
      await expectCode(send(s, g.chat.id, g.owner.id, { media: { ids: [av.id], from: null } }), "not_found");
      const sent = await send(s, g.chat.id, g.owner.id, { media: { ids: [mine.id], from: null } });
      const other = await group(s, "group", 0);
      await s.chats.addMembers(other.chat.id, other.owner.id, [member!.id], () => {}, () => {}, Date.now());
      const fwd = await send(s, other.chat.id, member!.id, {
        forward: { chatId: g.chat.id, messageId: sent.message.id, senderId: g.owner.id, at: 1 },
        media: { ids: [mine.id], from: { messageId: sent.message.id } },
      });
      expect(fwd.message.attachments?.[0]?.id).toBe(mine.id);
      expect(await s.media.mayRead(mine.id, other.owner.id)).toBe(true);
      await expectCode(send(s, other.chat.id, member!.id, { media: { ids: [theirs.id], from: { messageId: sent.message.id } } }), "not_found");
      const gone = await s.messages.deleteForEveryone(g.chat.id, sent.message.id, g.owner.id, () => {}, Date.now());
      expect(gone.value.message.attachments).toBeUndefined();
      expect((await s.messages.byId(g.chat.id, sent.message.id))?.attachments).toBeUndefined();
      expect((await s.messages.byId(other.chat.id, fwd.message.id))?.attachments?.length).toBe(1);
    });

    test("listMedia: a tab's messages newest first, paged by seq; members only; deleted ones skipped", async () => {
      const s = get();
      const g = await group(s, "group", 1);
      const [member] = g.others;
      const photo = async () => (await send(s, g.chat.id, g.owner.id, { media: { ids: [(await finished(s, g.owner.id)).id], from: null } })).message;
      const p1 = await photo();
      const doc = await send(s, g.chat.id, g.owner.id, { media: { ids: [(await finished(s, g.owner.id, { kind: "file", mime: "text/plain", name: "a.txt" })).id], from: null } });
      const p2 = await photo();
      const p3 = await photo();
      await s.messages.deleteForEveryone(g.chat.id, p2.id, g.owner.id, () => {}, Date.now());
      const page = await s.messages.listMedia(g.chat.id, member!.id, "photos", null, 1);
      expect([page.messages.map((m) => m.id), page.hasMore]).toEqual([[p3.id], true]);
      const next = await s.messages.listMedia(g.chat.id, member!.id, "photos", p3.seq, 10);
      expect([next.messages.map((m) => m.id), next.hasMore]).toEqual([[p1.id], false]);
      expect((await s.messages.listMedia(g.chat.id, member!.id, "files", null, 10)).messages.map((m) => m.id)).toEqual([doc.message.id]);
      await expectCode(s.messages.listMedia(g.chat.id, (await addUser(s)).id, "photos", null, 10), "not_found");
    });

    test("the GC collects media nothing refers to, then their blobs as orphans", async () => {
      const s = get();
      const g = await group(s, "group", 0);
      const now = Date.now();
      const sentOne = await finished(s, g.owner.id, { blob: { sha256: sha("1"), size: 11 } });
      const fresh = await finished(s, g.owner.id, { blob: { sha256: sha("2"), size: 12 } });
      const av = await finished(s, g.owner.id, { purpose: "avatar", blob: { sha256: sha("3"), size: 13 } });
      await s.media.setUserAvatar(g.owner.id, av.id);
      const msg = await send(s, g.chat.id, g.owner.id, { media: { ids: [sentOne.id], from: null } });
      expect(await s.media.collectMedia(now - 60_000, 100)).toBe(0);
      await s.messages.deleteForEveryone(g.chat.id, msg.message.id, g.owner.id, () => {}, Date.now());
      expect(await s.media.collectMedia(now - 60_000, 100)).toBe(1); // the deleted message's media
      expect(await s.media.media(sentOne.id)).toBeNull();
      expect(await s.media.media(fresh.id)).not.toBeNull(); // never sent, still in its grace period
      expect(await s.media.orphanBlobs(10)).toEqual([{ sha256: sha("1"), size: 11 }]);
      await s.media.setUserAvatar(g.owner.id, null);
      expect(await s.media.collectMedia(now + 60_000, 100)).toBe(2); // the dropped picture, the unsent one past grace
      expect(new Set(await s.media.dropOrphanBlobs([sha("1"), sha("2"), sha("3"), sha("9")]))).toEqual(new Set([sha("1"), sha("2"), sha("3")]));
      expect(await s.media.orphanBlobs(10)).toEqual([]);
      expect(await s.media.blobExists(sha("1"))).toBe(false);
    });

    test("pictures: only your avatar media; chats are checked like a rename", async () => {
      const s = get();
      const g = await group(s, "group", 1);
      const av = await finished(s, g.owner.id, { purpose: "avatar", placeholder: "abc" });
      const plain = await finished(s, g.owner.id);
      await expectCode(s.media.setUserAvatar(g.owner.id, plain.id), "not_found");
      await expectCode(s.media.setUserAvatar(g.others[0]!.id, av.id), "not_found");
      expect((await s.media.setUserAvatar(g.owner.id, av.id)).value.avatar).toEqual({ id: av.id, placeholder: "abc" });
      expect((await s.users.byId(g.owner.id))?.avatar).toEqual({ id: av.id, placeholder: "abc" });
      const refuse = () => {
        throw new Error("refused");
      };
      await expect(s.media.setChatAvatar(g.chat.id, g.owner.id, av.id, refuse)).rejects.toThrow("refused");
      const done = await s.media.setChatAvatar(g.chat.id, g.owner.id, av.id, () => {});
      expect(done.value.chat.avatar?.id).toBe(av.id);
      expect(done.value.memberIds.length).toBe(2);
      expect((await s.media.setChatAvatar(g.chat.id, g.owner.id, null, () => {})).value.chat.avatar).toBeUndefined();
    });
  });
}
