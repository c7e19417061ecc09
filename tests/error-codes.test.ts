// Every code in the one ErrorCode list is produced here, through a real server, and
// asserted where it appears (HTTP error body, WS res error, bye reason, welcome gap).
// The last test checks that nothing in ERROR_CODES was left out: a new code needs a
// producer here (and a line in docs/protocol.md).
import { addIpBlock, removeIpBlock } from "../src/admin/ip-blocks.ts";
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { Type } from "@sinclair/typebox";
import { ensureOwnerClaim } from "../src/accounts/module.ts";
import { PASSWORD, errorOf, startAccountsServer, tokensOf } from "./support/accounts.ts";
import { base32Decode, hotp, totpStep } from "../src/accounts/totp.ts";
import { ClientError } from "../src/client/errors.ts";
import { limits } from "../src/limits.ts";
import { decode, encode } from "../src/protocol/codec.ts";
import { ERROR_CODE_LIST, type ErrorCode } from "../src/protocol/errors.ts";
import type { AuthTokens } from "../src/protocol/http.ts";
import { PROTOCOL_VERSION } from "../src/protocol/version.ts";
import { type DomainModule, unlistedMethod } from "../src/core/module.ts";
import { chatsModule } from "../src/chats/module.ts";
import { mediaModule } from "../src/media/module.ts";
import { importsModule } from "../src/imports/module.ts";
import { mediaState } from "../src/media/state.ts";
import { createUpload, patchChunk, uploadBytes } from "./support/media.ts";

setDefaultTimeout(30_000);

const seen = new Set<string>();
type Server = Awaited<ReturnType<typeof startAccountsServer>>;

async function http(res: Response | Promise<Response>, code: ErrorCode) {
  const err = await errorOf(await res);
  expect(err.code).toBe(code);
  seen.add(err.code);
  return err;
}

async function ws(call: Promise<unknown>, code: ErrorCode) {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ClientError);
  expect((err as ClientError).code).toBe(code);
  seen.add(code);
}

/** A bare socket: sends raw frames, returns the server's frames until it closes. */
async function rawFrames(url: string, frames: unknown[]): Promise<Record<string, unknown>[]> {
  const socket = new WebSocket(url);
  socket.binaryType = "arraybuffer";
  const got: Record<string, unknown>[] = [];
  return new Promise((resolve, reject) => {
    socket.onopen = () => frames.forEach((f) => socket.send(encode(f)));
    socket.onmessage = (m) => {
      const frame = decode(new Uint8Array(m.data as ArrayBuffer)) as Record<string, unknown>;
      got.push(frame);
      if (frame.t === "welcome") socket.close();
    };
    socket.onclose = () => resolve(got);
    socket.onerror = (e) => reject(e);
  });
}

const boom: DomainModule = {
  name: "boom",
  methods: [
    unlistedMethod("test.boom", Type.Object({}), async () => {
      throw new Error("a bug");
    }),
  ],
};

describe("every error code, through the real server", () => {
  let s: Server;
  let owner: AuthTokens;
  const register = (username: string, password = PASSWORD, extra = {}) =>
    s.post("/api/auth/register", { username, password, deviceName: "d", ...extra });
  const login = (username: string, password = PASSWORD, extra = {}) => s.post("/api/auth/login", { username, password, deviceName: "d", ...extra });

  beforeAll(async () => {
    s = await startAccountsServer(
      ["accounts.loginAttemptsPerAccount=2", "protocol.requestsPerSecondPerConnection=100000", "protocol.requestsPerSecondPerUser=100000", "media.fileBytesMax=1000"],
      (deps) => [chatsModule(deps), mediaModule(deps), importsModule(deps, mediaState(deps)), boom],
    );
    const url = await ensureOwnerClaim(s.deps, s.url);
    owner = await tokensOf(await s.post("/api/auth/claim", { token: url!.split("#")[1], username: "owner", password: PASSWORD, deviceName: "d" }));
  });
  afterAll(() => s.stop());

  test("request shape: bad_request, invalid_field, payload_too_large, unsupported_media_type, unknown_method", async () => {
    const json = { "content-type": "application/json" };
    await http(fetch(`${s.url}/api/auth/login`, { method: "POST", headers: json, body: "{" }), "bad_request");
    await http(s.post("/api/auth/login", { username: 42, password: PASSWORD, deviceName: "d" }), "invalid_field");
    await http(fetch(`${s.url}/api/auth/login`, { method: "POST", headers: json, body: "x".repeat(limits.authBodyBytesMax + 1) }), "payload_too_large");
    await http(fetch(`${s.url}/api/auth/login`, { method: "POST", body: JSON.stringify({ username: "owner", password: PASSWORD, deviceName: "d" }) }), "unsupported_media_type");
    const { client } = await s.connect(owner);
    await ws(client.request("nothing.here", {}), "unknown_method");
  });

  test("registration, claim and reset: registration_closed, invalid_invite, claim_invalid, reset_invalid, weak_password, username_taken", async () => {
    await http(register("newbie"), "registration_closed");
    await http(register("newbie", PASSWORD, { inviteCode: "not-an-invite" }), "invalid_invite");
    await http(s.post("/api/auth/claim", { token: "nope", username: "x2x", password: PASSWORD, deviceName: "d" }), "claim_invalid");
    await http(s.post("/api/auth/reset", { token: "nope", password: PASSWORD }), "reset_invalid");
    const { client } = await s.connect(owner);
    await client.request("registration.set", { mode: "open" });
    await http(register("newbie", "short"), "weak_password");
    await http(register("OWNER"), "username_taken");
  });

  test("credentials: invalid_credentials, rate_limited, unauthenticated, token_expired, session_revoked", async () => {
    await tokensOf(await register("victim"));
    await http(login("victim", "wrong password 1"), "invalid_credentials");
    await http(login("victim", "wrong password 2"), "invalid_credentials");
    await http(login("victim"), "rate_limited");
    await http(s.post("/api/auth/refresh", { refreshToken: "unknown" }), "unauthenticated");
    const a = await tokensOf(await register("walker"));
    s.clock.offsetMs = limits.accessTokenTtlMs + 1000;
    try {
      await http(s.post("/api/auth/logout", {}, { authorization: `Bearer ${a.accessToken}` }), "token_expired");
    } finally {
      s.clock.offsetMs = 0;
    }
    await s.post("/api/auth/refresh", { refreshToken: a.refreshToken });
    await http(s.post("/api/auth/refresh", { refreshToken: a.refreshToken }), "session_revoked");
  });

  test("two factor: two_factor_required, invalid_two_factor, conflict", async () => {
    const t = await tokensOf(await register("twofa"));
    const { client } = await s.connect(t);
    const { secret } = await client.request("twofactor.setup", {});
    await client.request("twofactor.enable", { code: hotp(base32Decode(secret)!, totpStep(s.deps.now())) });
    await ws(client.request("twofactor.setup", {}), "conflict");
    await http(login("twofa"), "two_factor_required");
    await http(login("twofa", PASSWORD, { recoveryCode: "wrong-code" }), "invalid_two_factor");
  });

  test("authorization: forbidden, not_found, account_disabled", async () => {
    const m = await tokensOf(await register("member"));
    const { client } = await s.connect(m);
    await ws(client.request("registration_invite.create", { clientId: "x" }), "forbidden");
    await ws(client.request("user.get", { userId: "01NOSUCHUSER0000000000000" }), "not_found");
    const o = await s.connect(owner);
    await o.client.request("user.set_disabled", { userId: m.userId, disabled: true });
    // a login answers it like a wrong password (it must not confirm one); a live token names the reason
    const frames = await rawFrames(s.wsUrl, [{ t: "hello", v: PROTOCOL_VERSION, token: m.accessToken }]);
    expect(frames.find((f) => f.t === "bye")?.reason).toBe("account_disabled");
    seen.add("account_disabled");
  });

  test("account deletion: last_admin (the only admin deleting themself), account_pending_deletion (signing in during the grace period)", async () => {
    const o = await s.connect(owner);
    await ws(o.client.request("account.delete", { password: PASSWORD }), "last_admin");
    const leaving = await tokensOf(await register("leaving"));
    const { client } = await s.connect(leaving);
    await client.request("account.delete", { password: PASSWORD });
    const err = await http(login("leaving"), "account_pending_deletion");
    expect(err.data).toMatchObject({ by: "self", cancellable: true });
  });

  test("protocol lifecycle: not_hello, client_too_old, server_too_old, resume_gap (bye reasons and welcome gap)", async () => {
    const byeOf = async (frames: unknown[]) => (await rawFrames(s.wsUrl, frames)).find((f) => f.t === "bye")?.reason as string;
    for (const [frames, code] of [
      [[{ t: "req", id: 1, method: "me.get", params: {} }], "not_hello"],
      [[{ t: "hello", v: 0, token: owner.accessToken }], "client_too_old"],
      [[{ t: "hello", v: PROTOCOL_VERSION + 1, token: owner.accessToken }], "server_too_old"],
    ] as const) {
      expect(await byeOf([...frames])).toBe(code);
      seen.add(code);
    }
    const frames = await rawFrames(s.wsUrl, [{ t: "hello", v: PROTOCOL_VERSION, token: owner.accessToken, resume: { queueId: "gone", lastEventId: 7 } }]);
    const welcome = frames.find((f) => f.t === "welcome") as { resumed: boolean; gap?: { code: string } };
    expect(welcome.resumed).toBe(false);
    expect(welcome.gap?.code).toBe("resume_gap");
    seen.add(welcome.gap!.code);
    // a resume may list at most resumeChatsMax chat positions
    const chats = Array.from({ length: limits.resumeChatsMax + 1 }, (_, i) => ({ chatId: `c${i}`, pos: 1 }));
    const over = (await rawFrames(s.wsUrl, [{ t: "hello", v: PROTOCOL_VERSION, token: owner.accessToken, resume: { queueId: "q", lastEventId: 0, chats } }])).find((f) => f.t === "bye");
    expect(over).toMatchObject({ reason: "invalid_hello", data: { field: "resume.chats", limit: limits.resumeChatsMax } });
    const atMost = await rawFrames(s.wsUrl, [{ t: "hello", v: PROTOCOL_VERSION, token: owner.accessToken, resume: { queueId: "q", lastEventId: 0, chats: chats.slice(1) } }]);
    expect(atMost.find((f) => f.t === "welcome")).toBeDefined();
  });

  test("quotas: limit_exceeded (edits per message)", async () => {
    const { client } = await s.connect(owner);
    const { entry } = (await client.request("chat.create", { kind: "saved" })) as { entry: { chat: { id: string } } };
    const chatId = entry.chat.id;
    const { message } = (await client.request("message.send", { chatId, clientId: "m1", text: "v0" })) as { message: { id: string } };
    for (let i = 1; i <= limits.messageEditsMax; i++) await client.request("message.edit", { chatId, messageId: message.id, text: `v${i}` });
    await ws(client.request("message.edit", { chatId, messageId: message.id, text: "one too many" }), "limit_exceeded");
  });

  test("blocking: blocked (a message into the direct chat of someone who blocked you), privacy_restricted (adding them to a group)", async () => {
    const [a, b] = [await tokensOf(await register("blocker")), await tokensOf(await register("pest"))];
    const [blocker, pest] = [(await s.connect(a)).client, (await s.connect(b)).client];
    const { entry } = (await pest.request("chat.create", { kind: "direct", userId: a.userId })) as { entry: { chat: { id: string } } };
    await blocker.request("user.block", { userId: b.userId });
    await ws(pest.request("message.send", { chatId: entry.chat.id, clientId: "m1", text: "hello?" }), "blocked");
    await ws(pest.request("chat.create", { kind: "group", clientId: "g1", title: "Trap", memberIds: [a.userId] }), "privacy_restricted");
  });

  test("media: quota_exceeded, upload_offset_mismatch, upload_not_found, media_type_refused, too_many_attachments; import_invalid", async () => {
    const t = owner.accessToken;
    await http(createUpload(s.url, t, { size: 1001 }), "quota_exceeded");
    const { uploadId } = (await (await createUpload(s.url, t, { size: 10 })).json()) as { uploadId: string };
    await http(patchChunk(s.url, t, uploadId, 5, new Uint8Array(5)), "upload_offset_mismatch");
    await http(patchChunk(s.url, t, "NOSUCHUPLOAD", 0, new Uint8Array(5)), "upload_not_found");
    const poster = (await (await createUpload(s.url, t, { size: 4, purpose: "avatar" })).json()) as { uploadId: string };
    await http(patchChunk(s.url, t, poster.uploadId, 0, new TextEncoder().encode("text")), "media_type_refused");
    const { client } = await s.connect(owner);
    const { entry } = (await client.request("chat.create", { kind: "saved" })) as { entry: { chat: { id: string } } };
    const ids = [];
    for (let i = 0; i < 11; i++) ids.push((await uploadBytes(s.url, t, new Uint8Array([i + 1]))).id);
    await ws(client.request("message.send", { chatId: entry.chat.id, clientId: "media1", text: "", attachments: ids }), "too_many_attachments");
    // an upload that is no export archive, handed to chat.import
    await ws(client.request("chat.import", { mediaId: ids[0]! }), "import_invalid");
  });

  test("server side: ip_blocked (an admin blocked the address), internal (an unexpected exception), unavailable (storage closed)", async () => {
    const { client } = await s.connect(owner);
    // as `hearth admin ipblock add` does it (this harness has no admin module for admin.ipBlock)
    const block = await addIpBlock(s.deps, null, { cidr: "127.0.0.1" });
    await http(fetch(`${s.url}/healthz`), "ip_blocked");
    await removeIpBlock(s.deps, null, block.id);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200); // lifted (and the edge's list re-read before storage closes below)
    await ws(client.request("test.boom", {}), "internal");
    await s.deps.storage.close();
    await http(s.post("/api/auth/refresh", { refreshToken: owner.refreshToken }), "unavailable");
  });

  test("every code in ERROR_CODES was produced", () => {
    expect(ERROR_CODE_LIST.filter((c) => !seen.has(c))).toEqual([]);
  });
});
