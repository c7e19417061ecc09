// Data export through the real HTTP endpoint (and the CLI) of a real server: the archive
// holds exactly the user's data — their profile, the chats they are in now, the messages
// they wrote there (not deleted, not hidden for them), the files they uploaded on those
// messages — and nothing from chats they left, nothing anyone else wrote or uploaded.
// Read back with the system's tar.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { hearth } from "./support/cli.ts";
import { bearer, type MediaPerson, startMediaServer, uploadBytes } from "./support/media.ts";
import { exportPaths } from "../src/protocol/http.ts";

setDefaultTimeout(60_000);

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "hearth-export-"));
  dirs.push(d);
  return d;
};
let n = 0;
const cid = () => `x${++n}`;
const enc = new TextEncoder();
const sha256 = (b: Uint8Array) => new Bun.CryptoHasher("sha256").update(b).digest("hex");

type Server = Awaited<ReturnType<typeof startMediaServer>>;
let s: Server;
let dataDir: string;
let ann: MediaPerson, ben: MediaPerson, cat: MediaPerson, dan: MediaPerson;
const expected = { texts: [] as string[], files: new Map<string, string>(), chats: [] as string[] };
const forbiddenTexts: string[] = [];
const forbiddenBytes: Uint8Array[] = [];

beforeAll(async () => {
  dataDir = tempDir();
  s = await startMediaServer({ dir: dataDir });
  [ann, ben, cat, dan] = [await s.person("ann"), await s.person("ben"), await s.person("cat"), await s.person("dan")];
  await s.deps.storage.users.setRole(dan.id, "admin");
  const send = async (p: MediaPerson, chatId: string, text: string, attachments?: string[]) =>
    (await p.request("message.send", { chatId, clientId: cid(), text, ...(attachments ? { attachments } : {}) })).message.id as string;

  const family = (await ann.request("chat.create", { kind: "group", clientId: cid(), title: "Family 🏡 <b>&</b>", memberIds: [ben.id] })).entry.chat.id as string;
  const left = (await cat.request("chat.create", { kind: "group", clientId: cid(), title: "Old club", memberIds: [ann.id] })).entry.chat.id as string;
  const direct = (await ann.request("chat.create", { kind: "direct", userId: ben.id })).entry.chat.id as string;
  expected.chats = [family, direct].sort();

  const mine = enc.encode("ann's recipe book ✨");
  const mine2 = crypto.getRandomValues(new Uint8Array(70_000));
  const bens = enc.encode("ben's holiday file");
  const leftFile = enc.encode("ann's file in the club she left");
  const a1 = await uploadBytes(s.url, ann.token, mine, { name: "Rezepte für Oma.txt" });
  const a2 = await uploadBytes(s.url, ann.token, mine2, { name: "photo.raw" });
  const b1 = await uploadBytes(s.url, ben.token, bens, { name: "ben.txt" });
  const l1 = await uploadBytes(s.url, ann.token, leftFile, { name: "club.txt" });
  expected.files.set(a1.id, sha256(mine));
  expected.files.set(a2.id, sha256(mine2));
  forbiddenBytes.push(bens, leftFile);

  const keep = ["Hello family 👋\nsecond line", "<script>alert(1)</script> & more", ""];
  expected.texts.push(keep[0]!, keep[1]!);
  await send(ann, family, keep[0]!);
  await send(ann, family, keep[1]!, [a1.id]);
  await send(ann, family, "", [a2.id]);
  expected.texts.push("");
  const gone = await send(ann, family, "deleted for everyone");
  await ann.request("message.delete", { chatId: family, messageId: gone, forEveryone: true });
  const hidden = await send(ann, family, "hidden for me");
  await ann.request("message.delete", { chatId: family, messageId: hidden, forEveryone: false });
  forbiddenTexts.push("deleted for everyone", "hidden for me");
  await send(ben, family, "ben writes this");
  const benMedia = await send(ben, family, "ben's file", [b1.id]);
  forbiddenTexts.push("ben writes this", "ben's file");
  await ann.request("message.forward", { chatId: direct, clientId: cid(), fromChatId: family, messageId: benMedia }); // ann's message, ben's file
  expected.texts.push("ben's file"); // the forward copies the caption: ann's message now
  forbiddenTexts.splice(forbiddenTexts.indexOf("ben's file"), 1);
  await send(ann, direct, "dm to ben");
  expected.texts.push("dm to ben");
  await send(ann, left, "secret from the club", [l1.id]);
  await send(cat, left, "cat in the club");
  forbiddenTexts.push("secret from the club", "cat in the club", "Old club");
  await ann.request("member.leave", { chatId: left });
});
afterAll(async () => {
  await s.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function download(token: string, query = ""): Promise<Response> {
  return fetch(`${s.url}${exportPaths.archive}${query}`, { headers: bearer(token) });
}

/** Extracts a tar with the system's tar; returns the directory and every file's path. */
function untar(bytes: Uint8Array): { dir: string; files: string[] } {
  const dir = tempDir();
  writeFileSync(join(dir, "x.tar"), bytes);
  const out = join(dir, "out");
  Bun.spawnSync(["mkdir", out]);
  const r = Bun.spawnSync(["tar", "-xf", join(dir, "x.tar"), "-C", out]);
  expect(r.stderr.toString()).toBe("");
  expect(r.exitCode).toBe(0);
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : files.push(relative(out, join(d, f)));
  };
  walk(out);
  return { dir: out, files: files.sort() };
}

function checkArchive(dir: string, files: string[]) {
  const profile = JSON.parse(readFileSync(join(dir, "profile.json"), "utf8"));
  expect(profile).toMatchObject({ id: ann.id, username: ann.username });
  expect(JSON.stringify(profile)).not.toMatch(/password|totp|hash/i);
  const chats = JSON.parse(readFileSync(join(dir, "chats.json"), "utf8")) as { id: string; peer: { id: string } | null; parts: { json: string }[] }[];
  expect(chats.map((c) => c.id).sort()).toEqual(expected.chats);
  expect(chats.find((c) => c.peer)?.peer?.id).toBe(ben.id);
  const messages = chats.flatMap((c) => c.parts.flatMap((p) => JSON.parse(readFileSync(join(dir, p.json), "utf8")).messages as { text: string; attachments: { id: string; file: string | null }[] }[]));
  expect(messages.map((m) => m.text).sort()).toEqual([...expected.texts].sort());
  const media = JSON.parse(readFileSync(join(dir, "media.json"), "utf8")) as { id: string; sha256: string; file: string }[];
  expect(new Map(media.map((m) => [m.id, m.sha256]))).toEqual(expected.files);
  for (const m of media) expect(sha256(readFileSync(join(dir, m.file)))).toBe(m.sha256);
  expect(files.filter((f) => f.startsWith("media/")).length).toBe(expected.files.size);
  const forwarded = messages.find((m) => m.text === "ben's file")!;
  expect(forwarded.attachments).toHaveLength(1);
  expect(forwarded.attachments[0]!.file).toBeNull(); // ben uploaded it: named, not included
  // nothing anywhere in the archive from the chat she left, from others, or deleted
  const all = files.map((f) => readFileSync(join(dir, f)));
  const everything = Buffer.concat(all).toString("latin1");
  const utf8 = Buffer.concat(all).toString("utf8");
  for (const t of forbiddenTexts) expect(utf8).not.toContain(t);
  for (const b of forbiddenBytes) expect(everything).not.toContain(Buffer.from(b).toString("latin1"));
  // the index page: escaped, linked, no script
  const index = readFileSync(join(dir, "index.html"), "utf8");
  expect(index).toContain("Family 🏡 &#60;b&#62;&#38;&#60;/b&#62;");
  expect(index).not.toMatch(/<script/i);
  for (const c of chats) for (const p of c.parts) expect(index).toContain(p.json.replace(".json", ".html"));
  const page = readFileSync(join(dir, chats.find((c) => !c.peer)!.parts[0]!.json.replace(".json", ".html")), "utf8");
  expect(page).toContain("&#60;script&#62;alert(1)&#60;/script&#62; &#38; more");
  expect(page).not.toMatch(/<script/i);
  expect(page).toMatch(/href="\.\.\/\.\.\/media\/[0-9A-Z]+-Rezepte_fu_r_Oma\.txt"/);
  return { profile, chats, media, messages };
}

describe("data export", () => {
  let own: string[] = [];
  test("a user's own export over HTTP holds exactly their data, nothing from the chat they left", async () => {
    const res = await download(ann.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-tar");
    expect(res.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="hearth-export-${ann.username}-\\d{4}-\\d\\d-\\d\\d\\.tar"$`));
    const { dir, files } = untar(new Uint8Array(await res.arrayBuffer()));
    own = files;
    expect(files).toContain("index.html");
    expect(files).toContain("export.json");
    const meta = JSON.parse(readFileSync(join(dir, "export.json"), "utf8"));
    expect(meta).toMatchObject({ format: "hearth-export/1", userId: ann.id, requestedBy: ann.id, truncated: false, counts: { chats: 2, messages: expected.texts.length, media: 2 } });
    checkArchive(dir, files);
  });

  test("admins export anyone's but an admin's (only the owner does); members only their own; no token, no export", async () => {
    expect((await download(ben.token, `?userId=${ann.id}`)).status).toBe(403);
    const byAdmin = await download(dan.token, `?userId=${ann.id}`);
    expect(byAdmin.status).toBe(200);
    const { dir, files } = untar(new Uint8Array(await byAdmin.arrayBuffer()));
    expect(files).toEqual(own);
    checkArchive(dir, files);
    expect(JSON.parse(readFileSync(join(dir, "export.json"), "utf8")).requestedBy).toBe(dan.id);
    const otherAdmin = await s.person("eve");
    await s.deps.storage.users.setRole(otherAdmin.id, "admin");
    const refused = await download(dan.token, `?userId=${otherAdmin.id}`);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("forbidden");
    const missing = await download(dan.token, "?userId=01NOSUCHUSER0000000000000");
    expect(missing.status).toBe(404);
    expect((await download(dan.token, "?userId=bad%20id")).status).toBe(400);
    const anonymous = await fetch(`${s.url}${exportPaths.archive}`);
    expect(anonymous.status).toBe(401);
  });

  test("one export per person at a time: a second while the first streams is unavailable; the slot frees when it ends", async () => {
    // An archive that fits in the sockets' buffers is written out before a second request
    // arrives: give ben one far bigger than them, so his first export is still streaming
    // while nothing reads it.
    const block = crypto.getRandomValues(new Uint8Array(65_536));
    const payload = new Uint8Array(48 * 1024 * 1024);
    for (let i = 0; i < payload.length; i += block.length) payload.set(block, i);
    const up = await uploadBytes(s.url, ben.token, payload, { name: "holiday.mov" });
    const chat = (await ben.request("chat.create", { kind: "group", clientId: cid(), title: "Ben's videos", memberIds: [] })).entry.chat.id as string;
    await ben.request("message.send", { chatId: chat, clientId: cid(), text: "the whole trip", attachments: [up.id] });
    const first = await download(ben.token);
    expect(first.status).toBe(200);
    const second = await download(ben.token);
    expect(second.status).toBe(503);
    expect((await second.json()).error.code).toBe("unavailable");
    await first.arrayBuffer();
    const third = await download(ben.token);
    expect(third.status).toBe(200);
    await third.body?.cancel(); // a cancelled download frees the slot too
    for (let i = 0; i < 50; i++) {
      const again = await download(ben.token);
      if (again.status === 200) {
        await again.arrayBuffer();
        return;
      }
      await again.arrayBuffer();
      await Bun.sleep(20);
    }
    throw new Error("the slot of a cancelled export was not freed");
  });

  test("hearth export --user writes the same archive from the shell", async () => {
    const target = join(tempDir(), "ann.tar");
    const r = await hearth(["export", "--user", ann.username, target, "--data", dataDir]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^exported ${ann.username} to ${target} \\(\\d+ bytes\\)`));
    const { dir, files } = untar(new Uint8Array(readFileSync(target)));
    expect(files).toEqual(own);
    checkArchive(dir, files);
    const again = await hearth(["export", "--user", ann.username, target, "--data", dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists");
    expect((await hearth(["export", target, "--data", dataDir])).code).toBe(2);
    const nobody = await hearth(["export", "--user", "nobody-here", join(tempDir(), "x.tar"), "--data", dataDir]);
    expect(nobody.stderr).toContain('no user named "nobody-here"');
  });
});
