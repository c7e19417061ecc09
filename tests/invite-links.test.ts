// Invite links through a real server: admins create (idempotent per clientId), list and
// revoke; anyone previews and joins; unknown, expired, revoked and used-up codes are
// `invalid_invite`; only hashes are stored; the configured group size holds on join.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { type Person, startChatsServer } from "./support/chats.ts";
import { loadConfig } from "../src/config/load.ts";
import { hashToken } from "../src/ids.ts";

setDefaultTimeout(30_000);

let s: Awaited<ReturnType<typeof startChatsServer>>;
let ann: Person, ben: Person, cat: Person, dan: Person, eve: Person;
let n = 0;
const cid = () => `l${++n}`;

beforeAll(async () => {
  s = await startChatsServer();
  // The running server reads chats.groupMembersMax from its config at each add or join.
  (s.deps.config.chats as { groupMembersMax: number }).groupMembersMax = loadConfig({ flags: { data: s.t.dir, set: ["chats.groupMembersMax=4"] } }).chats.groupMembersMax;
  [ann, ben, cat, dan, eve] = await Promise.all([s.person("ann"), s.person("ben"), s.person("cat"), s.person("dan"), s.person("eve")]);
});
afterAll(() => s.stop());

const group = async (kind = "group", memberIds: string[] = []) =>
  (await ann.request("chat.create", { kind, clientId: cid(), title: "Linked", memberIds })).entry.chat.id as string;

describe("invite links", () => {
  test("a retry after a revoke returns the link as it is now: revoked, and no new one", async () => {
    const chatId = await group("group", [ben.id]);
    const params = { chatId, clientId: "again" };
    const a = await ann.request("chat.link_create", params);
    await ann.request("chat.link_revoke", { chatId, linkId: a.link.id });
    const b = await ann.request("chat.link_create", params);
    expect(b.link).toEqual({ ...a.link, revokedAt: expect.any(Number) });
    expect(b.code).toBe(a.code);
    expect(await cat.code("chat.join_by_link", { code: b.code })).toBe("invalid_invite");
    expect((await ann.request("chat.link_list", { chatId })).links).toEqual([]);
  });

  test("an admin creates a link; a retry returns the same link and code; only the hash is stored", async () => {
    const chatId = await group("group", [ben.id]);
    const params = { chatId, clientId: "same", maxUses: 5 };
    const a = await ann.request("chat.link_create", params);
    const b = await ann.request("chat.link_create", params);
    expect(b).toEqual(a);
    expect(a.link).toMatchObject({ chatId, createdBy: ann.id, maxUses: 5, uses: 0, expiresAt: null, revokedAt: null });
    expect(a.url.endsWith(`/join#${a.code}`)).toBe(true);
    expect((await ann.request("chat.link_list", { chatId })).links.map((l: any) => l.id)).toEqual([a.link.id]);
    expect(await ben.code("chat.link_create", { chatId, clientId: cid() })).toBe("forbidden");
    expect(await ben.code("chat.link_list", { chatId })).toBe("forbidden");
    expect(await cat.code("chat.link_create", { chatId, clientId: cid() })).toBe("not_found");
    const db = new Database(join(s.t.dir, "hearth.sqlite"), { readonly: true });
    const rows = db.query("SELECT code_hash FROM chat_invite_links WHERE chat_id = ?").all(chatId) as { code_hash: string }[];
    const idem = db.query("SELECT result FROM idempotency WHERE method = 'chat.link_create'").all() as { result: string }[];
    db.close();
    expect(rows).toEqual([{ code_hash: hashToken(a.code) }]);
    expect(idem.some((r) => r.result.includes(a.code))).toBe(false);
  });

  test("preview without joining, then join: member_added in the chat's log, the joiner gets chat.joined with their entry", async () => {
    const chatId = await group("group", [ben.id]);
    const { code } = await ann.request("chat.link_create", { chatId, clientId: cid() });
    const preview = await cat.request("chat.link_preview", { code });
    expect(preview).toEqual({ kind: "group", title: "Linked", description: "", memberCount: 2 });
    expect(await cat.code("chat.get", { chatId })).toBe("not_found");
    const from = ben.events.length;
    const joined = await cat.request("chat.join_by_link", { code });
    expect(joined.joined).toBe(true);
    expect(joined.entry.chat).toMatchObject({ id: chatId, memberCount: 3 });
    expect(joined.entry.me.role).toBe("member");
    await ben.event("chat.member_added", (d) => d.chat.id === chatId && d.members[0]?.userId === cat.id, from);
    const own = await cat.event("chat.joined", (d) => d.entry.chat.id === chatId);
    expect(own.pos).toBe(joined.entry.pos);
    const again = await cat.request("chat.join_by_link", { code });
    expect(again.joined).toBe(false);
    expect((await ann.request("chat.link_list", { chatId })).links[0]!.uses).toBe(1);
  });

  test("revoked, expired, used-up and unknown codes are invalid_invite, for preview and join", async () => {
    const chatId = await group("channel");
    const revoked = await ann.request("chat.link_create", { chatId, clientId: cid() });
    const from = ann.events.length;
    const r = await ann.request("chat.link_revoke", { chatId, linkId: revoked.link.id });
    expect(r.link.revokedAt).not.toBeNull();
    await ann.event("chat.link_changed", (d) => d.link.id === revoked.link.id && d.link.revokedAt !== null, from);
    expect((await ann.request("chat.link_list", { chatId })).links).toEqual([]);
    const expiring = await ann.request("chat.link_create", { chatId, clientId: cid(), expiresInMs: 1 });
    const once = await ann.request("chat.link_create", { chatId, clientId: cid(), maxUses: 1 });
    expect((await dan.request("chat.join_by_link", { code: once.code })).entry.chat.kind).toBe("channel");
    await Bun.sleep(5); // past the 1 ms expiry
    for (const code of [revoked.code, expiring.code, once.code, "no-such-code"]) {
      expect(await eve.code("chat.link_preview", { code })).toBe("invalid_invite");
      expect(await eve.code("chat.join_by_link", { code })).toBe("invalid_invite");
    }
    expect(await eve.code("chat.link_revoke", { chatId, linkId: once.link.id })).toBe("not_found");
    expect(await ann.code("chat.link_create", { chatId, clientId: cid(), maxUses: 10_000_000 })).toBe("invalid_field");
  });

  test("a link stops working once its creator may no longer manage links", async () => {
    const chatId = await group("group", [ben.id]);
    await ann.request("member.promote", { chatId, userId: ben.id });
    const { code } = await ben.request("chat.link_create", { chatId, clientId: cid() });
    await ann.request("member.demote", { chatId, userId: ben.id });
    expect(await cat.code("chat.join_by_link", { code })).toBe("invalid_invite");
  });

  test("direct chats have no links; the configured group size holds on join and add", async () => {
    const direct = (await ann.request("chat.create", { kind: "direct", userId: ben.id })).entry.chat.id;
    expect(await ann.code("chat.link_create", { chatId: direct, clientId: cid() })).toBe("forbidden");
    const chatId = await group("group", [ben.id, cat.id]); // 3 of chats.groupMembersMax = 4
    const { code } = await ann.request("chat.link_create", { chatId, clientId: cid() });
    expect((await dan.request("chat.join_by_link", { code })).joined).toBe(true);
    expect(await eve.code("chat.join_by_link", { code })).toBe("limit_exceeded");
    expect(await ann.code("member.add", { chatId, userIds: [eve.id] })).toBe("limit_exceeded");
    expect(await ann.code("chat.create", { kind: "group", clientId: cid(), title: "Big", memberIds: [ben.id, cat.id, dan.id, eve.id] })).toBe("limit_exceeded");
    expect(s.deps.config.chats.groupMembersMax).toBe(4);
  });
});
