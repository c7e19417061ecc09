// The admin console's server side through the real interfaces: another person's sessions,
// storage per user and chat, live settings (persisted across a restart), IP blocks at
// the edge (before authentication, after trusted-proxy resolution, IPv4 and IPv6, with
// expiry), the audit log and health. Who may call what is in tests/authz-matrix.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { adminModule } from "../src/admin/module.ts";
import { limits } from "../src/limits.ts";
import { login, PNG_1X1, startMediaServer, uploadBytes, type MediaPerson } from "./support/media.ts";
import { authPaths } from "../src/protocol/http.ts";
import { connectClient, until } from "./support/harness.ts";

type Server = Awaited<ReturnType<typeof startMediaServer>>;
let s: Server;
let owner: MediaPerson;
let member: MediaPerson;
const clock = { offsetMs: 0 };

beforeAll(async () => {
  s = await startMediaServer({ modules: (deps) => [adminModule(deps)], set: ["server.trustedProxies=127.0.0.1", "accounts.loginAttemptsPerIp=2"], clock });
  owner = await s.person("boss");
  await s.deps.storage.users.setRole(owner.id, "owner");
  member = await s.person("ann");
});
afterAll(() => s.stop());

const from = (ip: string) => ({ "x-forwarded-for": ip, "content-type": "application/json" });
const wrongLogin = (ip: string, username = member.username) =>
  fetch(s.url + authPaths.login, { method: "POST", headers: from(ip), body: JSON.stringify({ username, password: "wrong password!", deviceName: "d" }) });
const codeOf = async (r: Response) => ((await r.json()) as { error: { code: string } }).error.code;
const metric = (name: string) => {
  const line = s.deps.metrics.render().split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(" ").at(-1)) : 0;
};
let seq = 0;
const cid = () => `a${++seq}`;

describe("sessions of another person", () => {
  test("an admin lists a member's devices and signs one out: its socket closes at once, the audit log says so", async () => {
    const phone = await login(s.url, member.username); // a second session of the member
    let closed: string | undefined;
    await connectClient(s.t, phone, { onClosed: (reason) => (closed = reason) });
    const { sessions } = await owner.request<any>("admin.sessions", { userId: member.id });
    expect(sessions.map((x: any) => x.id)).toContain(phone.sessionId);
    expect(Object.keys(sessions[0]).sort()).toEqual(["createdAt", "deviceName", "id", "ip", "lastSeenAt"]);
    await owner.request("admin.revoke_session", { userId: member.id, sessionId: phone.sessionId });
    await until(() => closed !== undefined, 5_000, "revoked socket closed");
    expect(closed).toBe("session_revoked");
    const after = await owner.request<any>("admin.sessions", { userId: member.id });
    expect(after.sessions.map((x: any) => x.id)).not.toContain(phone.sessionId);
    expect(await owner.code("admin.revoke_session", { userId: member.id, sessionId: phone.sessionId })).toBe("not_found");
    // a session id of someone else, named with the wrong user, is not found either
    expect(await owner.code("admin.revoke_session", { userId: member.id, sessionId: owner.tokens.sessionId })).toBe("not_found");
    const { entries } = await owner.request<any>("admin.audit", {});
    expect(entries[0]).toMatchObject({ actorId: owner.id, actorName: owner.username, action: "session.revoke", target: member.username });
  });
});

describe("storage per user and per chat", () => {
  test("bytes uploaded by a person and bytes attached in a chat, heaviest first", async () => {
    const { entry } = await member.request<any>("chat.create", { kind: "group", clientId: cid(), title: "Holiday 🏖️ photos", memberIds: [owner.id] });
    const chatId = entry.chat.id;
    const big = new Uint8Array(40_000).fill(7);
    const a = await uploadBytes(s.url, member.token, big, { chatId, name: "notes.bin" });
    const b = await uploadBytes(s.url, member.token, PNG_1X1, { chatId, name: "dot.png" });
    await member.request("message.send", { chatId, clientId: cid(), text: "two files", attachments: [a.id, b.id] });
    const usage = await owner.request<any>("admin.storage", {});
    const ann = usage.users.find((u: any) => u.userId === member.id);
    expect(ann).toMatchObject({ username: member.username, files: 2 });
    expect(ann.usedBytes).toBeGreaterThanOrEqual(40_000 + PNG_1X1.byteLength - 200); // PNG may be re-encoded (stripped copy)
    const chat = usage.chats.find((c: any) => c.chatId === chatId);
    expect(chat).toMatchObject({ title: "Holiday 🏖️ photos", kind: "group", files: 2, usedBytes: ann.usedBytes });
    expect(usage.totalBytes).toBeGreaterThanOrEqual(ann.usedBytes);
    const sizes = usage.users.map((u: any) => u.usedBytes);
    expect(sizes).toEqual([...sizes].sort((x: number, y: number) => y - x));
  });
});

describe("live settings", () => {
  test("registration mode and directory change at once, are audited, and are stored", async () => {
    expect(await owner.request<any>("admin.settings", {})).toEqual({ registration: "open", directory: true });
    expect(await owner.request<any>("admin.set_settings", { registration: "closed", directory: false })).toEqual({ registration: "closed", directory: false });
    const reg = await fetch(s.url + authPaths.register, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "latecomer", password: "correct horse battery staple", deviceName: "d" }) });
    expect(await codeOf(reg)).toBe("registration_closed");
    const { entries } = await owner.request<any>("admin.audit", { limit: 2 });
    expect(entries.map((e: any) => [e.action, e.target])).toEqual([["settings.directory", "off"], ["settings.registration", "closed"]]);
    expect(await owner.code("admin.set_settings", { registration: "sometimes" })).toBe("invalid_field");
    // stored, not held in memory: what a restarted server reads
    expect([await s.deps.storage.accounts.getRegistrationMode(), await s.deps.storage.accounts.getDirectoryEnabled()]).toEqual(["closed", false]);
    await owner.request("admin.set_settings", { registration: "open", directory: true });
  });
});

describe("IP blocks at the edge", () => {
  test("a blocked client is refused before authentication: the login throttle never counted it", async () => {
    const before = metric("hearth_http_ip_blocked_total");
    const block = await owner.request<any>("admin.ip_block", { cidr: "203.0.113.77/24", note: "login flood" });
    expect(block).toMatchObject({ cidr: "203.0.113.0/24", note: "login flood", createdBy: owner.id, expiresAt: null });
    for (let i = 0; i < 5; i++) {
      const r = await wrongLogin("203.0.113.9");
      expect(r.status).toBe(403);
      expect(await codeOf(r)).toBe("ip_blocked");
    }
    // the WebSocket upgrade, the web client and the probes are refused the same way
    const upgrade = await fetch(`${s.url}/ws`, { headers: { ...from("203.0.113.200"), connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" } });
    expect(upgrade.status).toBe(403);
    expect((await fetch(`${s.url}/healthz`, { headers: from("203.0.113.1") })).status).toBe(403);
    expect(metric("hearth_http_ip_blocked_total") - before).toBe(7);
    // another address behind the same proxy is not blocked, and a forged leftmost hop does not help
    expect(await codeOf(await wrongLogin("198.51.100.1"))).toBe("invalid_credentials");
    expect(await codeOf(await wrongLogin("198.51.100.1, 203.0.113.9"))).toBe("ip_blocked");
    await owner.request("admin.ip_unblock", { id: block.id });
    // loginAttemptsPerIp = 2: two wrong tries are answered, the third is throttled — so the five blocked ones were never counted
    expect(await codeOf(await wrongLogin("203.0.113.9"))).toBe("invalid_credentials");
    expect(await codeOf(await wrongLogin("203.0.113.9"))).toBe("invalid_credentials");
    expect(await codeOf(await wrongLogin("203.0.113.9"))).toBe("rate_limited");
  });

  test("IPv6 ranges and single addresses; one spelling per range; bad input is a typed error", async () => {
    const v6 = await owner.request<any>("admin.ip_block", { cidr: "2001:DB8:0:0::5/32" });
    expect(v6.cidr).toBe("2001:db8::/32");
    const one = await owner.request<any>("admin.ip_block", { cidr: "::ffff:192.0.2.44" });
    expect(one.cidr).toBe("192.0.2.44/32");
    expect(await codeOf(await wrongLogin("2001:db8:1::9"))).toBe("ip_blocked");
    expect(await codeOf(await wrongLogin("2001:db9::9"))).toBe("invalid_credentials");
    expect(await codeOf(await wrongLogin("192.0.2.44"))).toBe("ip_blocked");
    expect(await codeOf(await wrongLogin("192.0.2.45"))).toBe("invalid_credentials");
    expect(await owner.code("admin.ip_block", { cidr: "2001:db8::/32" })).toBe("conflict");
    for (const cidr of ["300.1.1.1", "10.0.0.0/33", "::/129", "example.com", "1.2.3.4/x"]) expect(await owner.code("admin.ip_block", { cidr })).toBe("invalid_field");
    expect(await owner.code("admin.ip_block", { cidr: "10.9.0.0/16", note: "x".repeat(limits.ipBlockNoteCharsMax + 1) })).toBe("invalid_field");
    expect(await owner.code("admin.ip_block", { cidr: "10.9.0.0/16", expiresInMs: limits.ipBlockTtlMsMax + 1 })).toBe("invalid_field");
    const { blocks } = await owner.request<any>("admin.ip_blocks", {});
    expect(blocks.map((b: any) => b.cidr)).toEqual(["192.0.2.44/32", "2001:db8::/32"]);
    await owner.request("admin.ip_unblock", { id: v6.id });
    await owner.request("admin.ip_unblock", { id: one.id });
    expect(await owner.code("admin.ip_unblock", { id: one.id })).toBe("not_found");
  });

  test("a block with an expiry lifts itself when it is due", async () => {
    const block = await owner.request<any>("admin.ip_block", { cidr: "198.18.0.0/15", expiresInMs: 60_000 });
    expect(await codeOf(await wrongLogin("198.18.3.4"))).toBe("ip_blocked");
    clock.offsetMs += 60_001;
    try {
      expect(await codeOf(await wrongLogin("198.18.3.4"))).toBe("invalid_credentials");
      expect((await owner.request<any>("admin.ip_blocks", {})).blocks).toEqual([]);
    } finally {
      clock.offsetMs -= 60_001;
      await owner.request("admin.ip_unblock", { id: block.id });
    }
  });

  test("the table is bounded: past the maximum a block is limit_exceeded, expired ones make room", async () => {
    const store = s.deps.storage.admin;
    const now = s.deps.now();
    const mk = (i: number, expiresAt: number | null) => ({ id: `b${i}`, cidr: `10.${i}.0.0/16`, note: "", createdBy: null, createdAt: now, expiresAt });
    await store.addIpBlock(mk(1, null), 2, now);
    await store.addIpBlock(mk(2, now + 1000), 2, now);
    await expect(store.addIpBlock(mk(3, null), 2, now)).rejects.toMatchObject({ code: "limit_exceeded", data: { limit: "ipBlocksMax", max: 2 } });
    await store.addIpBlock(mk(3, null), 2, now + 1000); // b2 expired: dropped first
    expect((await store.ipBlocks(now + 1000)).map((b) => b.id).sort()).toEqual(["b1", "b3"]);
    await store.removeIpBlock("b1");
    await store.removeIpBlock("b3");
  });
});

describe("audit log", () => {
  test("paged newest first; bounded by count and age on every write", async () => {
    for (let i = 0; i < 3; i++) await owner.request("registration_invite.create", { clientId: cid() });
    const first = await owner.request<any>("admin.audit", { limit: 2 });
    expect(first.entries.map((e: any) => e.action)).toEqual(["invite.create", "invite.create"]);
    expect(first.hasMore).toBe(true);
    const next = await owner.request<any>("admin.audit", { limit: 2, beforeId: first.entries[1].id });
    expect(next.entries[0].id).toBeLessThan(first.entries[1].id);
    const store = s.deps.storage.admin;
    // a second past everything written above: the age bound below must not depend on the
    // earlier entries having been made in an earlier millisecond than this one
    const at = s.deps.now() + 1000;
    await store.audit({ at, actorId: null, actorName: "cli", action: "test", target: "t", detail: "" }, { keepMax: 3, olderThan: 0 });
    expect((await store.auditPage({ limit: 100 })).length).toBe(3);
    await store.audit({ at, actorId: null, actorName: "cli", action: "test2", target: "t", detail: "" }, { keepMax: 100, olderThan: at });
    expect((await store.auditPage({ limit: 100 })).map((e) => e.action)).toEqual(["test2", "test"]);
  });
});

describe("health", () => {
  test("calls workers, disk space of the data dir, TLS and the last backup", async () => {
    const h = await owner.request<any>("admin.health", {});
    expect(h.calls).toMatchObject({ state: "not_started", workersAlive: 0, activeCalls: 0 }); // no calls module here
    expect(h.disk.path).toBe(s.t.dir);
    expect(h.disk.freeBytes).toBeGreaterThan(0);
    expect(h.disk.totalBytes).toBeGreaterThanOrEqual(h.disk.freeBytes);
    expect(h.tls.expiresAt).toBeNull(); // the harness serves plain HTTP
    expect(h.backup).toBeNull(); // no scheduled backup has run in this server (tests/backup-schedule.test.ts has one)
  });
});
