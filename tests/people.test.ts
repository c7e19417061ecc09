// Inviting and finding people, and the admin's everyday tools, through a real server:
// links built for other devices, pending invites shown again (only while usable, only to
// admins), the public invite-info lookup (rate limited), one-time password-reset links
// (hashed, single-use, expiring, replacing, revoking sessions), and people search scoped
// to shared chats unless the server directory is on.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { publicBaseUrl } from "../src/accounts/registration.ts";
import { type Person, startChatsServer } from "./support/chats.ts";
import { hashToken } from "../src/ids.ts";
import { limits } from "../src/limits.ts";
import { lanHint, otherDevicesUrl } from "../src/net/discovery.ts";
import { loadConfig } from "../src/config/load.ts";

setDefaultTimeout(60_000);
const PASSWORD = "correct horse battery staple";

let s: Awaited<ReturnType<typeof startChatsServer>>;
let owner: Person, admin: Person, ann: Person;
let n = 0;
const cid = () => `p${++n}`;
const post = (path: string, body: unknown, ip = "198.51.100.7") =>
  fetch(s.t.url + path, { method: "POST", headers: { "content-type": "application/json", "x-real-ip": ip }, body: JSON.stringify(body) });

beforeAll(async () => {
  s = await startChatsServer();
  // The lookups are limited per client IP: let this test speak for several addresses.
  (s.deps.config.server.trustedProxies as string[]).push("127.0.0.1");
  [owner, admin, ann] = await Promise.all([s.person("own"), s.person("adm"), s.person("ann")]);
  await s.deps.storage.users.setRole(owner.id, "owner");
  await s.deps.storage.users.setRole(admin.id, "admin");
  await s.deps.storage.users.updateProfile(owner.id, { displayName: "Olga Øwner 🏡" });
});
afterAll(() => s.stop());

describe("links for other devices", () => {
  const config = (set: string[], host = "0.0.0.0") => loadConfig({ flags: { data: "/tmp/unused", port: 8080, host, set } });
  test("the address start-up prints for other devices: HTTPS LAN address, mDNS name aside; null on loopback", () => {
    const running = { port: 8080, httpsUrl: "https://127.0.0.1:8443" };
    expect(otherDevicesUrl(config([]), running, "192.168.1.20")).toBe("https://192.168.1.20:8443");
    expect(lanHint(config([]), running, "192.168.1.20")).toContain("https://192.168.1.20:8443");
    expect(otherDevicesUrl(config(["tls.mode=off"]), { port: 8080, httpsUrl: null }, "10.0.0.5")).toBe("http://10.0.0.5:8080");
    expect(otherDevicesUrl(config(["server.publicUrl=https://chat.example.org/"]), running, "192.168.1.20")).toBe("https://chat.example.org");
    expect(otherDevicesUrl(config([], "127.0.0.1"), running, "192.168.1.20")).toBeNull();
    expect(otherDevicesUrl(config([]), running, null)).toBeNull();
  });

  test("invite, chat and reset links use that address when server.publicUrl is empty, never localhost", async () => {
    const before = s.deps.linkBaseUrl;
    s.deps.linkBaseUrl = () => otherDevicesUrl(config([]), { port: 8080, httpsUrl: "https://127.0.0.1:8443" }, "192.168.1.20");
    try {
      expect(publicBaseUrl(s.deps)).toBe("https://192.168.1.20:8443");
      const invite = await owner.request("registration_invite.create", { clientId: cid() });
      expect(invite.url).toBe(`https://192.168.1.20:8443/invite#${invite.code}`);
      const { entry } = await owner.request("chat.create", { kind: "group", clientId: cid(), title: "Linked" });
      expect((await owner.request("chat.link_create", { chatId: entry.chat.id, clientId: cid() })).url).toStartWith("https://192.168.1.20:8443/join#");
      expect((await owner.request("user.reset_link", { userId: ann.id })).url).toStartWith("https://192.168.1.20:8443/reset#");
      expect((await owner.request("registration_invite.list", {})).invites.find((i) => i.id === invite.invite.id)!.url).toBe(invite.url);
    } finally {
      s.deps.linkBaseUrl = before;
    }
  });
});

describe("invites", () => {
  test("pending invites carry their link again; used-up, expired and revoked ones do not; the database holds no code", async () => {
    const live = await admin.request("registration_invite.create", { clientId: cid(), maxUses: 5, expiresInMs: 3_600_000 });
    const once = await admin.request("registration_invite.create", { clientId: cid(), maxUses: 1 });
    const revoked = await admin.request("registration_invite.create", { clientId: cid() });
    await admin.request("registration_invite.revoke", { inviteId: revoked.invite.id });
    expect((await post("/api/auth/register", { username: `used${n}`, password: PASSWORD, deviceName: "d", inviteCode: once.code })).status).toBe(200);
    const list = (await admin.request("registration_invite.list", {})).invites as { id: string; url: string | null }[];
    const urlOf = (id: string) => list.find((i) => i.id === id)!.url;
    expect(urlOf(live.invite.id)).toBe(live.url);
    expect(urlOf(once.invite.id)).toBeNull();
    expect(urlOf(revoked.invite.id)).toBeNull();
    expect(await ann.code("registration_invite.list", {})).toBe("forbidden");
    const db = new Database(join(s.t.dir, "hearth.sqlite"), { readonly: true });
    const dump = JSON.stringify(db.query("SELECT * FROM invites").all()) + JSON.stringify(db.query("SELECT * FROM idempotency").all());
    db.close();
    expect(dump.includes(live.code)).toBe(false);
    expect(dump.includes(hashToken(live.code))).toBe(true);
  });

  test("after an invite-code-key rotation a pending invite still works but its link cannot be rebuilt", async () => {
    const inv = await owner.request("registration_invite.create", { clientId: cid() });
    const secrets = s.deps.secrets as unknown as { get(name: string): Buffer };
    const realGet = secrets.get.bind(secrets);
    secrets.get = (name: string) => (name === "invite-code-key" ? Buffer.alloc(32, 7) : realGet(name));
    try {
      expect((await owner.request("registration_invite.list", {})).invites.find((i) => i.id === inv.invite.id)!.url).toBeNull();
    } finally {
      secrets.get = realGet;
    }
  });

  test("invite info names the inviter and the server for a live code only; rate limited per IP", async () => {
    const inv = await owner.request("registration_invite.create", { clientId: cid() });
    const res = await post("/api/auth/invite-info", { inviteCode: inv.code }, "198.51.100.20");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ inviterName: "Olga Øwner 🏡", serverName: new URL(publicBaseUrl(s.deps)).host });
    const bad = await post("/api/auth/invite-info", { inviteCode: "not-a-code" }, "198.51.100.20");
    expect(bad.status).toBe(403);
    expect(((await bad.json()) as any).error.code).toBe("invalid_invite");
    await owner.request("registration_invite.revoke", { inviteId: inv.invite.id });
    expect(((await (await post("/api/auth/invite-info", { inviteCode: inv.code }, "198.51.100.20")).json()) as any).error.code).toBe("invalid_invite");
    // a scanner from one address runs dry; another address is unaffected
    const codes: number[] = [];
    for (let i = 0; i < limits.publicLookupsPerIpPerMinute + 2; i++) codes.push((await post("/api/auth/invite-info", { inviteCode: `guess-${i}` }, "198.51.100.21")).status);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThan(0);
    expect(codes.slice(0, limits.publicLookupsPerIpPerMinute)).toEqual(Array(limits.publicLookupsPerIpPerMinute).fill(403));
    expect((await post("/api/auth/invite-info", { inviteCode: "x" }, "198.51.100.22")).status).toBe(403);
  });
});

describe("password-reset links", () => {
  test("single-use, hashed, replacing; the new password works, the old one not, every session is revoked", async () => {
    const bea = await s.person("bea");
    const first = await admin.request("user.reset_link", { userId: bea.id });
    const second = await admin.request("user.reset_link", { userId: bea.id });
    expect(second.expiresAt - Date.now()).toBeGreaterThan(limits.passwordResetTtlMs - 60_000);
    const tokenOf = (url: string) => new URL(url).hash.slice(1);
    const db = new Database(join(s.t.dir, "hearth.sqlite"), { readonly: true });
    const rows = db.query("SELECT token_hash FROM password_resets WHERE user_id = ?").all(bea.id) as { token_hash: string }[];
    db.close();
    expect(rows).toEqual([{ token_hash: hashToken(tokenOf(second.url)) }]); // the first was replaced; only hashes
    expect(((await (await post("/api/auth/reset", { token: tokenOf(first.url), password: "a brand new passphrase" })).json()) as any).error.code).toBe("reset_invalid");
    const info = await post("/api/auth/reset-info", { token: tokenOf(second.url) });
    expect(await info.json()).toEqual({ username: bea.username, displayName: bea.username });
    const short = await post("/api/auth/reset", { token: tokenOf(second.url), password: "short" });
    expect(((await short.json()) as any).error.code).toBe("weak_password"); // and the link still works
    const closed = new Promise((resolve) => bea.client.on("closed" as never, resolve as never));
    const ok = await post("/api/auth/reset", { token: tokenOf(second.url), password: "a brand new passphrase" });
    expect(await ok.json()).toEqual({ username: bea.username });
    expect(await s.deps.storage.sessions.listForUser(bea.id)).toEqual([]);
    void closed;
    const again = await post("/api/auth/reset", { token: tokenOf(second.url), password: "another new passphrase" });
    expect(((await again.json()) as any).error.code).toBe("reset_invalid");
    const login = (password: string) => post("/api/auth/login", { username: bea.username, password, deviceName: "d" }, "198.51.100.30");
    expect((await login("a brand new passphrase")).status).toBe(200);
    expect((await login(PASSWORD)).status).toBe(401);
  });

  test("an expired link and a disabled user's link are reset_invalid", async () => {
    const cy = await s.person("cy");
    const link = await owner.request("user.reset_link", { userId: cy.id });
    const token = new URL(link.url).hash.slice(1);
    await owner.request("user.set_disabled", { userId: cy.id, disabled: true });
    expect(((await (await post("/api/auth/reset-info", { token })).json()) as any).error.code).toBe("reset_invalid");
    await owner.request("user.set_disabled", { userId: cy.id, disabled: false });
    expect((await post("/api/auth/reset-info", { token })).status).toBe(200);
    const real = s.deps.now;
    s.deps.now = () => real() + limits.passwordResetTtlMs + 1;
    try {
      expect(((await (await post("/api/auth/reset", { token, password: "a brand new passphrase" })).json()) as any).error.code).toBe("reset_invalid");
    } finally {
      s.deps.now = real;
    }
  });
});

describe("admin user list and roles", () => {
  test("paged by username and searchable by name prefix; disabled accounts listed with the flag", async () => {
    const tag = `zq${process.pid % 100}`;
    const people = await Promise.all(Array.from({ length: 5 }, () => s.person(tag)));
    await owner.request("user.set_disabled", { userId: people[0]!.id, disabled: true });
    const page1 = await admin.request("user.list", { query: tag, limit: 3 });
    expect(page1.users).toHaveLength(3);
    expect(page1.hasMore).toBe(true);
    const page2 = await admin.request("user.list", { query: tag, limit: 3, afterUsername: page1.users.at(-1)!.username });
    expect(page2.hasMore).toBe(false);
    const all = [...page1.users, ...page2.users];
    expect(all.map((u: any) => u.username)).toEqual(people.map((p) => p.username).sort());
    expect(all.find((u) => u.id === people[0]!.id)!.disabled).toBe(true);
    // LIKE wildcards in the query are literal
    expect((await admin.request("user.list", { query: "%" })).users).toEqual([]);
  });

  test("promote and demote: the role is stored and checked on the next call", async () => {
    const dee = await s.person("dee");
    const told = dee.event("user.updated", (d) => d.user.id === dee.id && d.user.role === "admin");
    expect((await admin.request("user.set_role", { userId: dee.id, role: "admin" })).role).toBe("admin");
    await told; // their devices learn the new role at once
    expect(await dee.code("user.list", {})).toBe("ok");
    expect(await admin.code("user.set_role", { userId: dee.id, role: "member" })).toBe("forbidden"); // only the owner demotes admins
    expect((await owner.request("user.set_role", { userId: dee.id, role: "member" })).role).toBe("member");
    expect(await dee.code("user.list", {})).toBe("forbidden");
  });
});

describe("find people", () => {
  test("by username or display-name word prefix, shared chats first; the directory setting widens or narrows; never disabled ones", async () => {
    const tag = `fp${process.pid % 100}`;
    const [me, friend, stranger, gone] = await Promise.all([s.person(tag), s.person(tag), s.person(tag), s.person(tag)]);
    await s.deps.storage.users.updateProfile(friend.id, { displayName: "Ana María Lopez-Ruiz 🌻" });
    await s.deps.storage.users.updateProfile(stranger.id, { displayName: "Lopez Family 🏡" });
    await me.request("chat.create", { kind: "direct", userId: friend.id });
    await owner.request("user.set_disabled", { userId: gone.id, disabled: true });
    await owner.request("server.set_directory", { enabled: true });
    const ids = async (query: string) => (await me.request("user.search", { query })).users.map((u: any) => u.id);
    expect(await ids("lop")).toEqual([friend.id, stranger.id]); // a word of the display name; shared first
    expect(await ids(tag)).toEqual([friend.id, stranger.id]); // username prefix; never me, never the disabled one
    expect(await ids("ANA MAR")).toEqual([friend.id]);
    expect(await ids("_")).toEqual([]); // no wildcard
    expect((await me.request("user.search", { query: "lop" })).users[0]).toEqual({
      id: friend.id, username: friend.username, displayName: "Ana María Lopez-Ruiz 🌻", bio: "", role: "member", createdAt: expect.any(Number),
    });
    await owner.request("server.set_directory", { enabled: false });
    expect(await ids("lop")).toEqual([friend.id]);
    expect((await admin.request("server.settings", {})).directory).toBe(false);
    await owner.request("server.set_directory", { enabled: true });
    // a channel's subscribers do not find each other through it
    const { entry } = await owner.request("chat.create", { kind: "channel", clientId: cid(), title: "News", memberIds: [me.id, stranger.id] });
    expect(entry.chat.kind).toBe("channel");
    await owner.request("server.set_directory", { enabled: false });
    expect(await ids("lopez")).toEqual([friend.id]); // the stranger shares only the channel
    await owner.request("server.set_directory", { enabled: true });
  });

  test("someone who blocked you is found (blocks are not revealed) but a new direct chat is refused", async () => {
    const [a, b] = await Promise.all([s.person("blk"), s.person("blk")]);
    await b.request("user.block", { userId: a.id });
    expect((await a.request("user.search", { query: b.username })).users.map((u: any) => u.id)).toEqual([b.id]);
    expect(await a.code("chat.create", { kind: "direct", userId: b.id })).toBe("blocked");
  });
});
