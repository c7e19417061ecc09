// Account deletion through the real interfaces: a request re-authenticated with the
// password (and the second factor), every session revoked at once, sign-in during the
// grace period answering account_pending_deletion (cancellable only when self-requested),
// admin deletion with grace or at once, the last admin refused, the sweeper purging after
// the grace (server clock moved), and a completeness scan of EVERY table and the blob
// directory for anything of the person beyond the documented allowlist below.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync } from "node:fs";
import { sweepDeletions } from "../src/accounts/deletion.ts";
import { base32Decode, hotp, totpStep } from "../src/accounts/totp.ts";
import { adminModule } from "../src/admin/module.ts";
import { databaseFile } from "../src/config/paths.ts";
import { blobDir } from "../src/media/blobs.ts";
import { login, PNG_1X1, startMediaServer, uploadBytes, type MediaPerson } from "./support/media.ts";
import { authPaths } from "../src/protocol/http.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectClient, createTestUser, startServerProcess, startTestServer, until } from "./support/harness.ts";

setDefaultTimeout(60_000); // argon2 on 2 busy cores

type Server = Awaited<ReturnType<typeof startMediaServer>>;
let s: Server;
let owner: MediaPerson;
const clock = { offsetMs: 0 };
const GRACE_MS = 3 * 24 * 60 * 60_000;
const PASSWORD = "correct horse battery staple";

beforeAll(async () => {
  s = await startMediaServer({ modules: (deps) => [adminModule(deps)], set: [`accounts.deletionGraceMs=${GRACE_MS}`, "accounts.loginAttemptsPerAccount=1000"], clock });
  owner = await s.person("boss");
  await s.deps.storage.users.setRole(owner.id, "owner");
});
afterAll(() => s.stop());

let seq = 0;
const cid = () => `d${++seq}`;
const signIn = (username: string, extra: Record<string, unknown> = {}) =>
  fetch(s.url + authPaths.login, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password: PASSWORD, deviceName: "d", ...extra }) });
const errorOf = async (r: Response) => ((await r.json()) as { error: { code: string; data?: unknown } }).error;

describe("requesting deletion", () => {
  test("bad input and a wrong password are typed errors and change nothing", async () => {
    const ann = await s.person("ann");
    expect(await ann.code("account.delete", {})).toBe("invalid_field");
    expect(await ann.code("account.delete", { password: 42 })).toBe("invalid_field");
    expect(await ann.code("account.delete", { password: "" })).toBe("invalid_field");
    expect(await ann.code("account.delete", { password: "wrong password!" })).toBe("invalid_credentials");
    expect(await ann.code("user.delete", { userId: "" })).toBe("invalid_field");
    expect((await s.deps.storage.users.byId(ann.id))!.deletion).toBeUndefined();
    expect((await signIn(ann.username)).status).toBe(200);
  });

  test("a request revokes every session at once; sign-in shows the deletion and may cancel it", async () => {
    const bea = await s.person("bea");
    const phone = await login(s.url, bea.username);
    let closed: string | undefined;
    await connectClient(s.t, phone, { onClosed: (reason) => (closed = reason) });
    const before = s.deps.now();
    const { deleteAt } = await bea.request("account.delete", { password: PASSWORD });
    expect(deleteAt).toBeGreaterThanOrEqual(before + GRACE_MS);
    await until(() => closed !== undefined, 5_000, "the other device's socket closed");
    expect(closed).toBe("session_revoked");
    expect(await s.deps.storage.sessions.listForUser(bea.id)).toEqual([]);
    const refused = await signIn(bea.username);
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toMatchObject({ code: "account_pending_deletion", data: { deleteAt, by: "self", cancellable: true } });
    // a wrong password learns nothing of it
    expect((await errorOf(await signIn(bea.username, { password: "wrong password!" }))).code).toBe("invalid_credentials");
    const kept = await signIn(bea.username, { cancelDeletion: true });
    expect(kept.status).toBe(200);
    expect((await s.deps.storage.users.byId(bea.id))!.deletion).toBeUndefined();
    expect((await signIn(bea.username)).status).toBe(200);
  });

  test("with two-factor on, the code is needed too", async () => {
    const cy = await s.person("cy");
    const setup = await cy.request("twofactor.setup", {});
    const key = base32Decode(setup.secret)!;
    await cy.request("twofactor.enable", { code: hotp(key, totpStep(s.deps.now())) });
    expect(await cy.code("account.delete", { password: PASSWORD })).toBe("two_factor_required");
    expect(await cy.code("account.delete", { password: PASSWORD, totp: "000000" === hotp(key, totpStep(s.deps.now()) + 1) ? "111111" : "000000" })).toBe("invalid_two_factor");
    clock.offsetMs += 30_000; // the enabling code's step is used: the next one
    const { deleteAt } = await cy.request("account.delete", { password: PASSWORD, totp: hotp(key, totpStep(s.deps.now())) });
    expect((await s.deps.storage.users.byId(cy.id))!.deletion).toEqual({ at: deleteAt, by: "self" });
    await owner.request("user.cancel_deletion", { userId: cy.id }); // the sweeper test below counts its own purge only
  });

  test("the last admin cannot delete their account (last_admin); with another admin they can", async () => {
    const dee = await s.person("dee");
    await s.deps.storage.users.setRole(dee.id, "admin");
    // the owner is another admin: dee may go; the owner alone may not, once dee is scheduled
    const { deleteAt } = await dee.request("account.delete", { password: PASSWORD });
    expect(deleteAt).toBeGreaterThan(0);
    expect(await owner.code("account.delete", { password: PASSWORD })).toBe("last_admin");
    await owner.request("user.cancel_deletion", { userId: dee.id });
  });
});

describe("admin deletion", () => {
  test("with grace: the person cannot cancel it at sign-in, an admin can; audited", async () => {
    const eve = await s.person("eve");
    const r = await owner.request("user.delete", { userId: eve.id });
    expect(r.purged).toBe(false);
    const refused = await signIn(eve.username, { cancelDeletion: true });
    expect(await errorOf(refused)).toMatchObject({ code: "account_pending_deletion", data: { by: "admin", cancellable: false } });
    const { users } = await owner.request("user.list", { query: eve.username });
    expect(users[0]!.deletion).toEqual({ at: r.deleteAt, by: "admin" });
    const back = await owner.request("user.cancel_deletion", { userId: eve.id });
    expect(back.deletion).toBeNull();
    expect(await owner.code("user.cancel_deletion", { userId: eve.id })).toBe("conflict");
    expect((await signIn(eve.username)).status).toBe(200);
    const { entries } = await owner.request("admin.audit", {});
    expect(entries.slice(0, 2).map((e: any) => e.action)).toEqual(["user.delete_cancel", "user.delete"]);
  });

  test("members cannot delete others; nobody deletes the owner; unknown ids are not_found", async () => {
    const fay = await s.person("fay");
    const gus = await s.person("gus");
    expect(await fay.code("user.delete", { userId: gus.id })).toBe("forbidden");
    expect(await fay.code("user.cancel_deletion", { userId: gus.id })).toBe("forbidden");
    expect(await owner.code("user.delete", { userId: owner.id })).toBe("forbidden");
    expect(await owner.code("user.delete", { userId: "01HZZZZZZZZZZZZZZZZZZZZZZZ" })).toBe("not_found");
    expect(await owner.code("user.delete", { userId: gus.id, immediate: "yes" })).toBe("invalid_field");
  });

  test("immediate: purged at once; the group's ownership passes on; others see a Deleted account; the username is free", async () => {
    const hal = await s.person("hal");
    const ivy = await s.person("ivy");
    const { entry } = await hal.request("chat.create", { kind: "group", clientId: cid(), title: "Book club", memberIds: [ivy.id, owner.id] });
    await hal.request("member.promote", { chatId: entry.chat.id, userId: owner.id });
    const sent = await hal.request("message.send", { chatId: entry.chat.id, clientId: cid(), text: "See you on Thursday" });
    const from = ivy.events.length;
    const r = await owner.request("user.delete", { userId: hal.id, immediate: true });
    expect(r.purged).toBe(true);
    const removed = await ivy.event("chat.member_removed", (d) => d.chat.id === entry.chat.id, from);
    expect(removed.userIds).toEqual([hal.id]);
    const updated = await ivy.event("user.updated", (d) => d.user.id === hal.id, from);
    expect(updated.user).toMatchObject({ username: "", displayName: "Deleted account" });
    const members = await ivy.request("member.list", { chatId: entry.chat.id });
    expect(members.members.find((m: any) => m.userId === owner.id)?.role).toBe("owner"); // the admin, before any member
    const page = await ivy.request("message.list", { chatId: entry.chat.id, anchor: "latest", direction: "before" });
    expect(page.messages.find((m: any) => m.id === sent.message.id)).toMatchObject({ senderId: hal.id, text: "See you on Thursday" });
    expect(await ivy.request("user.get", { userId: hal.id })).toMatchObject({ displayName: "Deleted account", username: "" });
    expect(await owner.code("user.delete", { userId: hal.id })).toBe("not_found");
    // nothing new starts with a Deleted account
    expect(await ivy.code("chat.create", { kind: "direct", userId: hal.id })).toBe("not_found");
    expect(await owner.code("member.add", { chatId: entry.chat.id, userIds: [hal.id] })).toBe("not_found"); // the group's new owner
    expect((await errorOf(await signIn(hal.username))).code).toBe("invalid_credentials");
    const reg = await fetch(s.url + authPaths.register, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: hal.username, password: PASSWORD, deviceName: "d" }) });
    expect(reg.status).toBe(200);
  });
});

// ---- the completeness scan ----

/**
 * Where the purged person's id may remain, and why (docs/operations.md "Account deletion"
 * says the same). Their username, display name and bio may remain NOWHERE.
 */
const ID_ALLOWED: Record<string, { columns: string[]; why: string }> = {
  users: { columns: ["id", "username_key"], why: "the Deleted account row their remaining messages point to (no name, password or dates)" },
  messages: { columns: ["sender_id", "deleted_by", "fwd_sender_id"], why: "their messages stay in chats others are in, authored by the Deleted account" },
  chats: { columns: ["created_by", "pair_key"], why: "a chat they made, and a direct chat, which stays for the other person" },
  events: { columns: ["data"], why: "other people's queued events naming the id (names rewritten), pruned after eventQueueAgeMs" },
  chat_log: { columns: ["data"], why: "the chats' logs naming the id as sender or actor (names rewritten), pruned after chatLogKeepMs" },
  admin_audit: { columns: ["target"], why: "admin actions on them stay in the audit log, naming the id instead of the username" },
  chat_invite_links: { columns: ["created_by"], why: "a group's link they made stays the group's" },
  message_pins: { columns: ["pinned_by"], why: "a pin stays the chat's" },
  call_history: { columns: ["started_by", "participant_ids"], why: "a chat's call history" },
  password_resets: { columns: ["created_by"], why: "reset links they issued for others as an admin, expiring within passwordResetTtlMs" },
  ip_blocks: { columns: ["created_by"], why: "IP blocks they made as an admin" },
};

function scanDatabase(file: string, id: string, names: string[]): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const hits: string[] = [];
    const tables = (db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").values() as [string][]).map((r) => r[0]);
    expect(tables.length).toBeGreaterThan(25); // the scan sees the whole schema, new tables included
    for (const table of tables) {
      for (const row of db.query(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
        for (const [column, value] of Object.entries(row)) {
          const text = typeof value === "string" ? value : value instanceof Uint8Array ? Buffer.from(value).toString("latin1") : "";
          if (text.includes(id) && !ID_ALLOWED[table]?.columns.includes(column)) hits.push(`${table}.${column} has the id: ${text.slice(0, 120)}`);
          for (const n of names) if (text.toLowerCase().includes(n.toLowerCase())) hits.push(`${table}.${column} has "${n}": ${text.slice(0, 120)}`);
        }
      }
    }
    return hits;
  } finally {
    db.close();
  }
}

const randomFile = (n: number) => crypto.getRandomValues(new Uint8Array(n));

describe("the sweeper purges after the grace period, completely", () => {
  test("every table and the blob directory hold nothing of theirs beyond the allowlist", async () => {
    const jo = await s.person("jo");
    const kim = await s.person("kim");
    const displayName = "Josephine 🦊 Quixote-Zebrafish";
    const bio = "Collector of unlikely teapots since 1987";
    // profile, picture, 2FA
    const avatar = await uploadBytes(s.url, jo.token, PNG_1X1, { purpose: "avatar", name: "me.png" });
    const setup = await jo.request("twofactor.setup", {});
    await jo.request("twofactor.enable", { code: hotp(base32Decode(setup.secret)!, totpStep(s.deps.now())) });
    // a group jo owns with kim in it, messages, a file, a reaction, a pin, a draft, read position, an invite link
    const { entry } = await jo.request("chat.create", { kind: "group", clientId: cid(), title: "Teapot society", memberIds: [kim.id] });
    const chatId = entry.chat.id;
    await jo.request("profile.update", { displayName, bio, avatarId: avatar.id }); // kim's queue gets the profile (user.updated)
    await owner.request("user.reset_link", { userId: jo.id }); // the audit log names jo
    const file = await uploadBytes(s.url, jo.token, randomFile(3000), { name: "notes.bin" });
    const shared = randomFile(2000); // kim uploads the same bytes: one blob, two media
    const joShared = await uploadBytes(s.url, jo.token, shared, { name: "same.bin" });
    await uploadBytes(s.url, kim.token, shared, { name: "same.bin" });
    const withFile = await jo.request("message.send", { chatId, clientId: cid(), text: "", attachments: [file.id] });
    const withShared = await jo.request("message.send", { chatId, clientId: cid(), text: "minutes attached", attachments: [joShared.id] });
    const kims = await kim.request("message.send", { chatId, clientId: cid(), text: "Lovely, thanks" });
    await jo.request("reaction.toggle", { chatId, messageId: kims.message.id, emoji: "👍" });
    await jo.request("message.pin", { chatId, messageId: withShared.message.id });
    await jo.request("read.update", { chatId, seq: kims.message.seq });
    await jo.request("draft.save", { chatId, text: "a half-written thought" });
    await jo.request("chat.link_create", { chatId, clientId: cid() });
    // a direct chat, a forward of jo's file by kim (that copy keeps the file), a block, saved messages, an unfinished upload
    const dm = await jo.request("chat.create", { kind: "direct", userId: kim.id });
    await jo.request("message.send", { chatId: dm.entry.chat.id, clientId: cid(), text: "private hello" });
    const kimSaved = await kim.request("chat.create", { kind: "saved" });
    await kim.request("message.forward", { chatId: kimSaved.entry.chat.id, clientId: cid(), fromChatId: chatId, messageId: withFile.message.id });
    const stranger = await s.person("lou");
    await jo.request("user.block", { userId: stranger.id });
    const saved = await jo.request("chat.create", { kind: "saved" });
    const note = await uploadBytes(s.url, jo.token, randomFile(1500), { name: "saved.bin" });
    await jo.request("message.send", { chatId: saved.entry.chat.id, clientId: cid(), text: "to self", attachments: [note.id] });
    const partial = await fetch(s.url + "/api/uploads", { method: "POST", headers: { authorization: `Bearer ${jo.token}`, "content-type": "application/json" }, body: JSON.stringify({ name: "half.bin", purpose: "attachment", size: 100_000 }) });
    expect(partial.status).toBe(201);
    await kim.barrier();

    const db = new Database(databaseFile(s.deps.config), { readonly: true });
    const blobsOf = (owner: string) =>
      (db.query("SELECT blob_sha256 FROM media WHERE owner_id = ?1 UNION SELECT v.blob_sha256 FROM media_variants v JOIN media m ON m.id = v.media_id WHERE m.owner_id = ?1").values(owner) as [string][]).map((r) => r[0]);
    const joBlobs = blobsOf(jo.id);
    const kimBlobs = new Set(blobsOf(kim.id));
    db.close();
    expect(joBlobs.length).toBeGreaterThanOrEqual(5); // avatar (+ its variants), file, shared, saved
    const dir = blobDir(s.deps.config.data.dir);
    for (const sha of joBlobs) expect(existsSync(dir.blobPath(sha))).toBe(true);

    const { deleteAt } = await jo.request("account.delete", { password: PASSWORD, totp: hotp(base32Decode(setup.secret)!, totpStep(s.deps.now() + 30_000)) }).catch(async () => {
      clock.offsetMs += 30_000; // the enabling code's step was this one: take the next
      return jo.request("account.delete", { password: PASSWORD, totp: hotp(base32Decode(setup.secret)!, totpStep(s.deps.now())) });
    });
    expect(await sweepDeletions(s.deps)).toBe(0); // not yet due
    clock.offsetMs += deleteAt - s.deps.now() + 1;
    expect(await sweepDeletions(s.deps)).toBe(1);
    expect(await sweepDeletions(s.deps)).toBe(0); // once

    const hits = scanDatabase(databaseFile(s.deps.config), jo.id, [jo.username, displayName, "Quixote-Zebrafish", bio, "a half-written thought"]);
    expect(hits).toEqual([]);
    // blobs: theirs are gone, except content another person's media still holds (kim's upload, kim's forward)
    const forwarded = await kim.request("message.list", { chatId: kimSaved.entry.chat.id, anchor: "latest", direction: "before" });
    const keptByForward = new Set<string>((forwarded.messages[0]?.attachments ?? []).map((a: any) => a.id as string));
    expect(keptByForward.size).toBe(1);
    const db2 = new Database(databaseFile(s.deps.config), { readonly: true });
    const stillReferenced = new Set((db2.query("SELECT blob_sha256 FROM media UNION SELECT blob_sha256 FROM media_variants").values() as [string][]).map((r) => r[0]));
    const forwardOwner = db2.query("SELECT owner_id FROM media WHERE id = ?").get([...keptByForward][0] as string) as { owner_id: string | null };
    db2.close();
    expect(forwardOwner.owner_id).toBeNull();
    const left = joBlobs.filter((sha) => existsSync(dir.blobPath(sha)));
    for (const sha of left) expect(stillReferenced.has(sha)).toBe(true);
    expect(left.length).toBe(2); // the shared content (kim's own upload) and the file kim forwarded
    expect(left.some((sha) => kimBlobs.has(sha))).toBe(true);
    expect(existsSync(dir.partPath(((await partial.json()) as { uploadId: string }).uploadId))).toBe(false);
    // what others see: the message stays without its file; the file-only message is deleted; the direct chat stays for kim
    const page = await kim.request("message.list", { chatId, anchor: "latest", direction: "before" });
    expect(page.messages.find((m: any) => m.id === withShared.message.id)).toMatchObject({ text: "minutes attached", senderId: jo.id });
    expect(page.messages.find((m: any) => m.id === withShared.message.id)?.attachments).toBeUndefined();
    const dmPage = await kim.request("message.list", { chatId: dm.entry.chat.id, anchor: "latest", direction: "before" });
    expect(dmPage.messages.map((m: any) => m.text)).toContain("private hello");
    expect(await kim.request("user.get", { userId: jo.id })).toMatchObject({ displayName: "Deleted account", username: "", bio: "" });
  });
});

describe("the sweeper in `hearth serve`", () => {
  test("runs at start-up: an account that came due while the server was down is purged when it starts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hearth-deletion-"));
    const args = ["--set", "accounts.registration=open", "--set", "accounts.deletionGraceMs=0", "--set", "tls.mode=off"];
    let p = await startServerProcess(dir, { args });
    try {
      const leaving = await createTestUser(p, "leaving");
      const staying = await createTestUser(p, "staying");
      const gone = await connectClient(p, leaving);
      await gone.request("chat.create", { kind: "direct", userId: staying.userId });
      const { deleteAt } = await gone.request("account.delete", { password: PASSWORD });
      gone.close();
      await p.stop(); // the running server's next sweep is a minute away: the start-up one does it
      expect(Date.now()).toBeGreaterThanOrEqual(deleteAt);
      p = await startServerProcess(dir, { args });
      const fresh = await fetch(p.url + authPaths.login, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "staying", password: PASSWORD, deviceName: "d" }) });
      const me = await connectClient(p, (await fresh.json()) as Awaited<ReturnType<typeof createTestUser>>);
      // polled within a bound: the sweep runs as the server starts, beside the first requests
      let shown = "";
      for (const deadline = Date.now() + 15_000; shown !== "Deleted account"; await Bun.sleep(20)) {
        if (Date.now() > deadline) throw new Error(`not purged after start: ${shown}`);
        shown = (await me.request("user.get", { userId: leaving.userId })).displayName;
      }
      expect((await createTestUser(p, "leaving")).userId).not.toBe(leaving.userId); // the username is free again
      me.close();
    } finally {
      await p.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("hearth admin delete (beside a live server)", () => {
  const cli = async (dir: string, ...args: string[]) => {
    const p = Bun.spawn(["bun", "src/main.ts", ...args, "--data", dir, "--set", "tls.mode=off", "--set", "mdns.enabled=false"], { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
    const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    return { out, err, code };
  };

  test("schedules (signing the person out), cancels, and --now makes it due for the server's sweep", async () => {
    const t = await startTestServer({ wsLimits: { sessionRecheckMs: 100 } });
    try {
      const mo = await createTestUser(t, "moira");
      const watcher = await createTestUser(t, "watcher");
      let closed: string | undefined;
      await connectClient(t, mo, { onClosed: (reason) => (closed = reason) });
      const w = await connectClient(t, watcher);
      expect((await cli(t.dir, "admin", "delete", "moira", "--cancel")).code).not.toBe(0); // nothing to cancel
      expect((await cli(t.dir, "admin", "delete", "moira", "--now", "--cancel")).code).not.toBe(0);
      const scheduled = await cli(t.dir, "admin", "delete", "moira");
      expect(scheduled.code).toBe(0);
      expect(scheduled.out).toMatch(/^moira will be deleted at \S+; 1 session signed out\n$/);
      await until(() => closed !== undefined, 10_000, "moira's socket closed");
      expect((await t.deps.storage.users.byId(mo.userId))!.deletion?.by).toBe("admin");
      expect(await sweepDeletions(t.deps)).toBe(0); // a week away
      expect((await cli(t.dir, "admin", "delete", "moira", "--cancel")).out).toBe("kept moira: the deletion is cancelled\n");
      expect((await t.deps.storage.users.byId(mo.userId))!.deletion).toBeUndefined();
      expect((await cli(t.dir, "admin", "delete", "moira", "--now")).code).toBe(0);
      expect(await sweepDeletions(t.deps)).toBe(1);
      expect(await w.request("user.get", { userId: mo.userId })).toMatchObject({ displayName: "Deleted account", username: "" });
      expect((await cli(t.dir, "admin", "delete", "moira")).code).not.toBe(0); // no such user any more
      w.close();
    } finally {
      await t.stop();
    }
  });
});
