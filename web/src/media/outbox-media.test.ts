// Outbox items with files: the real outbox and upload client against the in-memory upload
// stand-in (net/upload-fake.ts), with memory stores in place of IndexedDB.
import { expect, test } from "vitest";
import { memoryOutboxStore, Outbox, type OutboxItem } from "../sync/outbox.ts";
import { fakeServer } from "../net/upload-fake.ts";
import { upload } from "../net/upload.ts";
import { type AttachmentDeps, forgetBlobs, memoryBlobStore, uploadAttachments } from "./outbox-media.ts";
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";

const auth = { accessToken: async () => "t", refresh: async () => "t" };
const noSleep = async () => {};
const file = (n: number) => new Blob([new Uint8Array(n).fill(7)]);

function harness() {
  const server = fakeServer(1000);
  const blobs = memoryBlobStore();
  const store = memoryOutboxStore();
  const sends: { clientId: string; attachments?: string[] }[] = [];
  const progress: number[] = [];
  const make = () => {
    const box: Outbox = new Outbox(store, () => {}, () => {}, (i) => void forgetBlobs(i, blobs));
    const deps: AttachmentDeps = {
      blobs,
      save: (i) => box.save(i),
      upload: (o) => upload({ ...o, auth, fetch: server.fetch, sleep: noSleep }),
      poster: async () => new Blob([new Uint8Array(300)]),
      progress: (_id, sent) => progress.push(sent),
    };
    const send = async (i: OutboxItem): Promise<WireMessage> => {
      const attachments = await uploadAttachments(i, deps);
      sends.push({ clientId: i.clientId, attachments });
      return { id: "m", chatId: i.chatId, seq: 1, senderId: i.userId, clientId: i.clientId, text: i.text, entities: [], replyToId: null, forward: null, silent: false, createdAt: 1, editedAt: null, deletedAt: null };
    };
    return { box, send };
  };
  return { server, blobs, store, sends, progress, make };
}

async function addWithFiles(box: Outbox, blobs: ReturnType<typeof memoryBlobStore>, names: string[], size: number) {
  const attachments = [];
  for (const [i, name] of names.entries()) {
    await blobs.put(`b${i}`, file(size));
    attachments.push({ localId: `b${i}`, name, size, mime: "application/octet-stream", purpose: "attachment" as const });
  }
  await box.add({ clientId: "k1", userId: "u1", chatId: "c1", text: "caption", attachments, createdAt: 1 });
}

test("written offline with files: waits, then uploads each and sends the media ids in order", async () => {
  const h = harness();
  const { box, send } = h.make();
  await addWithFiles(box, h.blobs, ["a.jpg", "b.bin", "c.jpg"], 1500);
  h.server.down = 1000; // offline: every request fails
  await box.flush(send);
  expect(box.list()).toHaveLength(1);
  expect(box.list()[0]!.state).toBe("pending");
  expect(h.sends).toEqual([]);
  h.server.down = 0;
  await box.flush(send);
  expect(h.sends).toEqual([{ clientId: "k1", attachments: ["m-u1", "m-u2", "m-u3"] }]);
  expect(box.list()).toEqual([]);
  expect(h.blobs.map.size).toBe(0); // the files left IndexedDB with the item
  expect(h.progress.at(-1)).toBe(4500);
});

test("a retry after a reload resumes the started upload from the server's offset", async () => {
  const h = harness();
  const first = h.make();
  await addWithFiles(first.box, h.blobs, ["big.bin"], 5000);
  // two chunks arrive, then every request fails (the tab is closed while offline)
  let patches = 0;
  const real = h.server.fetch;
  h.server.fetch = async (u, init) => {
    if (init.method === "PATCH" && ++patches > 2) throw new TypeError("offline");
    return real(u, init);
  };
  await first.box.flush(first.send);
  const saved = (await h.store.all())[0]!;
  expect(saved.attachments![0]!.uploadId).toBe("u1");
  // the reload: a new outbox from the same store, the network back
  h.server.fetch = real;
  const before = h.server.patchedBytes;
  const again = h.make();
  await again.box.load("u1");
  await again.box.flush(again.send);
  expect(h.sends).toEqual([{ clientId: "k1", attachments: ["m-u1"] }]);
  expect(h.server.patchedBytes - before).toBe(3000); // only what was missing
  expect(h.server.log.filter((l) => l.startsWith("POST"))).toHaveLength(1);
});

test("a video gets a poster made in the browser, uploaded for its media id", async () => {
  const h = harness();
  const { box, send } = h.make();
  await addWithFiles(box, h.blobs, ["v.mp4"], 1200);
  await box.flush(send);
  expect(h.sends[0]!.attachments).toEqual(["m-u1"]);
  const posterUpload = [...h.server.uploads.values()].find((u) => u.body?.purpose === "poster");
  expect(posterUpload?.body).toMatchObject({ mediaId: "m-u1", purpose: "poster" });
});

test("a file the browser no longer has fails the item (kept to retry or discard)", async () => {
  const h = harness();
  const { box, send } = h.make();
  await addWithFiles(box, h.blobs, ["a.bin"], 100);
  h.blobs.map.clear();
  await box.flush(send);
  expect(box.list()[0]).toMatchObject({ state: "failed", error: "attachment_missing" });
});

test("a discarded item stays gone even if its upload saves progress afterwards", async () => {
  const h = harness();
  const { box } = h.make();
  await addWithFiles(box, h.blobs, ["a.bin"], 100);
  const item = box.list()[0]!;
  await box.discard("k1");
  await box.save({ ...item, attachments: [{ ...item.attachments![0]!, uploadId: "u7" }] });
  expect(box.list()).toEqual([]);
  expect(await h.store.all()).toEqual([]);
});
