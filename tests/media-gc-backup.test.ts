// The media GC (stale uploads, media nothing refers to, orphan blobs, stray files) and
// backup/restore with media, through a real server and the real CLI on a real data dir.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hearth } from "./support/cli.ts";
import { limits } from "../src/limits.ts";
import { collectMediaGarbage } from "../src/media/gc.ts";
import { bearer, createUpload, login, patchChunk, startMediaServer, uploadBytes } from "./support/media.ts";
import { mediaPaths } from "../src/protocol/media.ts";

setDefaultTimeout(60_000);

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "up-media-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const sha256 = (b: Uint8Array) => new Bun.CryptoHasher("sha256").update(b).digest("hex");
const blobFile = (dir: string, bytes: Uint8Array) => {
  const h = sha256(bytes);
  return join(dir, "media", h.slice(0, 2), h.slice(2));
};
let n = 0;
const cid = () => `g${++n}`;

describe("media GC", () => {
  test("removes the blob of a message deleted for everyone, then stale uploads, never-sent media and stray files after their limits", async () => {
    const clock = { offsetMs: 0 };
    const s = await startMediaServer({ clock });
    try {
      const [ann, ben] = [await s.person("ann"), await s.person("ben")];
      const { entry } = await ann.request("chat.create", { kind: "group", clientId: cid(), title: "G", memberIds: [ben.id] });
      const sentBytes = new TextEncoder().encode("sent, then deleted");
      const keptBytes = new TextEncoder().encode("never sent");
      const sent = await uploadBytes(s.url, ann.token, sentBytes);
      const kept = await uploadBytes(s.url, ann.token, keptBytes);
      const msg = await ann.request("message.send", { chatId: entry.chat.id, clientId: cid(), text: "", attachments: [sent.id] });
      const partial = (await (await createUpload(s.url, ann.token, { size: 100 })).json()) as { uploadId: string };
      expect((await patchChunk(s.url, ann.token, partial.uploadId, 0, new Uint8Array(40))).status).toBe(204);
      const part = join(s.t.dir, "media", "uploads", `${partial.uploadId}.part`);
      const stray = join(s.t.dir, "media", "ee", "e".repeat(62));
      mkdirSync(join(s.t.dir, "media", "ee"), { recursive: true });
      writeFileSync(stray, "left by a crash");
      expect(await collectMediaGarbage(s.deps)).toEqual({ staleUploads: 0, media: 0, orphanBlobs: 0, orphanBytes: 0, strayFiles: 0 });

      await ann.request("message.delete", { chatId: entry.chat.id, messageId: msg.message.id, forEveryone: true });
      expect(existsSync(blobFile(s.t.dir, sentBytes))).toBe(true);
      // while a `hearth backup` marker is fresh, no file is deleted (the media rows may go)
      writeFileSync(join(s.t.dir, "media", "backup-in-progress"), "1");
      expect(await collectMediaGarbage(s.deps)).toEqual({ staleUploads: 0, media: 1, orphanBlobs: 0, orphanBytes: 0, strayFiles: 0 });
      expect(existsSync(blobFile(s.t.dir, sentBytes))).toBe(true);
      // the deleted message's blob is now an orphan on disk: doctor counts it (and the one media left)
      const before = await hearth(["doctor", "--data", s.t.dir]);
      expect(before.stdout).toMatch(/ok\s+media usage: 1 media \(0\.0 MiB\), 1 unfinished upload\(s\) \(0\.0 MiB declared\); 2 stored file\(s\)/);
      expect(before.stdout).toMatch(/warn\s+media orphans: 1 file\(s\) \(0\.0 MiB\) no media refers to; the server's media GC removes them/);
      rmSync(join(s.t.dir, "media", "backup-in-progress"));
      expect(await collectMediaGarbage(s.deps)).toEqual({ staleUploads: 0, media: 0, orphanBlobs: 1, orphanBytes: sentBytes.byteLength, strayFiles: 0 });
      expect(existsSync(blobFile(s.t.dir, sentBytes))).toBe(false);
      expect(existsSync(blobFile(s.t.dir, keptBytes))).toBe(true); // in its grace period
      expect(existsSync(part)).toBe(true);
      expect((await ann.request("media.usage", {})).uploadsInProgress).toBe(1);

      clock.offsetMs = Math.max(limits.uploadIdleMs, limits.mediaUnattachedKeepMs, limits.mediaOrphanFileGraceMs) + 60_000;
      const old = new Date(Date.now() - limits.mediaOrphanFileGraceMs - 60_000);
      utimesSync(stray, old, old);
      const report = await collectMediaGarbage(s.deps);
      expect(report).toEqual({ staleUploads: 1, media: 1, orphanBlobs: 1, orphanBytes: keptBytes.byteLength, strayFiles: 1 });
      expect(existsSync(part)).toBe(false);
      expect(existsSync(blobFile(s.t.dir, keptBytes))).toBe(false);
      expect(existsSync(stray)).toBe(false);
      expect(await s.deps.storage.media.media(kept.id)).toBeNull();
      const metrics = s.deps.metrics.render();
      expect(metrics).toMatch(/hearth_media_gc_removed_total\{what="blob"\} 2/);
      expect(metrics).toMatch(/hearth_media_upload_bytes_total \d+/);
      const doctor = await hearth(["doctor", "--data", s.t.dir]);
      expect(doctor.stdout).toMatch(/ok\s+media usage: 0 media/);
      expect(doctor.stdout).toMatch(/ok\s+media orphans: none/);
    } finally {
      await s.stop();
    }
  });
});

describe("backup and restore with media", () => {
  test("the backup holds the blobs its database refers to; restore brings them back; a backup missing a file restores nothing", async () => {
    const dir = tempDir();
    const picture = new TextEncoder().encode("the family recipe book, as a file"); // one blob (an image would add derived files)
    const later = new TextEncoder().encode("uploaded after the backup");
    let ann = "";
    let media = "";
    {
      const s = await startMediaServer({ dir });
      const p = await s.person("ann");
      ann = p.username;
      const { entry } = await p.request("chat.create", { kind: "saved" });
      media = (await uploadBytes(s.url, p.token, picture)).id;
      await p.request("message.send", { chatId: entry.chat.id, clientId: cid(), text: "", attachments: [media] });
      await s.stop();
    }
    const target = join(tempDir(), "hearth.sqlite");
    const b = await hearth(["backup", target, "--data", dir]);
    expect(b.stderr).toBe("");
    expect(b.code).toBe(0);
    expect(b.stdout).toContain(`backed up 1 media files (${picture.byteLength} bytes) to ${target}.media`);
    expect(existsSync(join(`${target}.media`, sha256(picture).slice(0, 2), sha256(picture).slice(2)))).toBe(true);
    const doctor = await hearth(["doctor", "--data", dir]);
    expect(doctor.stdout).toMatch(/ok\s+media usage: 1 media/);
    const admin = await hearth(["admin", "media", "--data", dir]);
    expect(admin.code).toBe(0);
    expect(admin.stdout).toContain("media: 1; stored files: 1");
    expect(admin.stdout).toMatch(new RegExp(`\\n  ${ann}\\s+0\\.0 MiB\\n`));

    let laterId = "";
    {
      const s = await startMediaServer({ dir });
      laterId = (await uploadBytes(s.url, (await login(s.url, ann)).accessToken, later)).id;
      await s.stop();
    }
    rmSync(blobFile(dir, picture)); // lost since the backup
    const broken = await hearth(["doctor", "--data", dir]);
    expect(broken.stdout).toMatch(/FAIL\s+media files: 1 stored file\(s\) are missing/);

    // a backup whose media directory lost the file (and the data dir lost it too) changes nothing
    const partial = join(tempDir(), "partial.sqlite");
    writeFileSync(partial, Buffer.from(await Bun.file(target).arrayBuffer()));
    const refused = await hearth(["restore", partial, "--data", dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("refers to 1 media file(s) found neither");
    expect(readdirSync(dir).filter((f) => f.includes("before-restore"))).toEqual([]);

    const r = await hearth(["restore", target, "--data", dir]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`restored 1 media files (${picture.byteLength} bytes) from ${target}.media`);
    const s = await startMediaServer({ dir });
    try {
      const token = (await login(s.url, ann)).accessToken;
      const back = await fetch(s.url + mediaPaths.original(media), { headers: bearer(token) });
      expect(back.status).toBe(200);
      expect(sha256(new Uint8Array(await back.arrayBuffer()))).toBe(sha256(picture));
      expect((await fetch(s.url + mediaPaths.original(laterId), { headers: bearer(token) })).status).toBe(404); // not in the backup
    } finally {
      await s.stop();
    }
  });
});
