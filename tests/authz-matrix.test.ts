// Every chat and call command × {owner, admin, member, removed member, stranger}, through
// a real server (with a real SFU worker): strangers and removed members get not_found (no
// existence leak), members without the right get forbidden, the rest succeed. Each cell
// runs on a fresh chat so mutating commands (leave, remove, promote …) cannot disturb the
// next cell. A blocked user has their own row: every method in the blocker's direct chat.
// Coverage is derived from the method catalog: EVERY method must have a matrix row or a
// named reason, AND a blocked-user row or a named reason; a new method without both fails.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { callsModule } from "../src/calls/module.ts";
import { freeRtcPort } from "./support/calls-server.ts";
import { type Person, startChatsServer } from "./support/chats.ts";
import { presenceModule } from "../src/presence/module.ts";
import { createLocalRegistry } from "../src/presence/registry.ts";
import { pushModule } from "../src/push/module.ts";

import { mediaModule } from "../src/media/module.ts";
import { adminModule } from "../src/admin/module.ts";
import { importsModule } from "../src/imports/module.ts";
import { mediaState } from "../src/media/state.ts";
import { login, uploadBytes } from "./support/media.ts";
import { whatsappZip } from "./import-fixtures.ts";
import { methods } from "../src/protocol/methods/index.ts";

setDefaultTimeout(60_000);

type Server = Awaited<ReturnType<typeof startChatsServer>>;
type Actor = "owner" | "admin" | "member" | "removed" | "stranger";
const ACTORS: Actor[] = ["owner", "admin", "member", "removed", "stranger"];

let s: Server;
let who: Record<Actor | "target" | "targetAdmin" | "extra", Person>;
const saved = {} as Fixture["saved"];

beforeAll(async () => {
  s = await startChatsServer({
    modules: (deps) => [presenceModule(deps, { registry: createLocalRegistry() }), callsModule(deps), pushModule(deps), mediaModule(deps), adminModule(deps), importsModule(deps, mediaState(deps))], // typing.*, call.*, chat.notify and chat.set_avatar are chat commands too
    set: ["calls.workers=1", `calls.rtcPort=${await freeRtcPort()}`, "calls.announcedAddress=127.0.0.1"],
  });
  const names = ["owner", "admin", "member", "removed", "stranger", "target", "targetAdmin", "extra"] as const;
  const people = await Promise.all(names.map((n) => s.person(n.slice(0, 4))));
  who = Object.fromEntries(names.map((n, i) => [n, people[i]!])) as typeof who;
  for (const a of ACTORS) {
    const { entry } = await who[a].request("chat.create", { kind: "saved" });
    saved[a] = { chatId: entry.chat.id, messageId: await sendAs(who[a], entry.chat.id) };
  }
});
afterAll(() => s.stop());

interface Fixture {
  kind: "group" | "channel";
  chatId: string;
  call?: Promise<CallIds>; // made on first use: a call in the chat with target and targetAdmin in it
  linkId: string; // an invite link made by the owner
  msg: Record<"target" | "removed" | "owner" | "admin" | "member", string>; // a message id by each
  saved: Record<Actor, { chatId: string; messageId: string }>; // something each actor may forward
}

/** A WhatsApp export uploaded by `p` (chat.import reads the caller's own upload). */
async function exportUpload(p: Person): Promise<string> {
  const { accessToken } = await login(s.t.url, p.username);
  return (await uploadBytes(s.t.url, accessToken, await whatsappZip(), { name: "export.zip" }, 1024 * 1024)).id;
}

/** The fixture chat with an import in it (by its owner), for the mapping commands. */
async function withImport(f: Fixture): Promise<string> {
  await who.owner.request("chat.import", { mediaId: await exportUpload(who.owner), chatId: f.chatId });
  return f.chatId;
}

let clientSeq = 0;
const cid = () => `c${++clientSeq}`;
const sendAs = async (p: Person, chatId: string) =>
  (await p.request<{ message: { id: string } }>("message.send", { chatId, clientId: cid(), text: "hi" })).message.id;

/** A group (or channel) with every role in place, messages by each, and the removed member removed. */
async function fixture(kind: "group" | "channel"): Promise<Fixture> {
  const { owner, admin, member, removed, target, targetAdmin } = who;
  const memberIds = [admin, member, removed, target, targetAdmin].map((p) => p.id);
  const { entry } = await owner.request("chat.create", { kind, clientId: cid(), title: "Matrix", memberIds });
  const chatId = entry.chat.id as string;
  await owner.request("member.promote", { chatId, userId: admin.id });
  await owner.request("member.promote", { chatId, userId: targetAdmin.id });
  // In a channel only admins post: the owner posts on behalf of the subscribers' slots.
  const poster = (p: Person) => (kind === "channel" && (p === member || p === removed || p === target) ? owner : p);
  const msg = {
    target: await sendAs(poster(target), chatId),
    removed: await sendAs(poster(removed), chatId),
    owner: await sendAs(owner, chatId),
    admin: await sendAs(admin, chatId),
    member: await sendAs(poster(member), chatId),
  };
  await owner.request("member.remove", { chatId, userId: removed.id });
  const { link } = await owner.request("chat.link_create", { chatId, clientId: cid() });
  return { kind, chatId, linkId: link.id, msg, saved };
}

// What a browser's mediasoup-client sends (shapes only; no media flows).
const micParams = { mid: "0", codecs: [{ mimeType: "audio/opus", payloadType: 111, clockRate: 48000, channels: 2 }], headerExtensions: [], encodings: [{ ssrc: 11111 }], rtcp: { cname: "t" } };
const cameraParams = { mid: "1", codecs: [{ mimeType: "video/VP8", payloadType: 96, clockRate: 90000 }], headerExtensions: [], encodings: [{ ssrc: 22222 }], rtcp: { cname: "t" } };
const dtlsParameters = { role: "client", fingerprints: [{ algorithm: "sha-256", value: Array.from({ length: 32 }, () => "AB").join(":") }] };

interface CallIds {
  callId: string;
  transportId: string; // target's send transport
  producerId: string; // target's mic
  consumerId: string; // targetAdmin consuming it
  rtpCapabilities: unknown;
}

/** Someone else's live participation: every id in it is not_found to anyone not in the call. */
async function callOf(p: Person, consumer: Person, chatId: string): Promise<CallIds> {
  const joined = await p.request<any>("call.join", { chatId });
  await consumer.request("call.join", { chatId });
  await consumer.request("call.transport.create", { callId: joined.callId, direction: "recv" });
  const { transportId } = await p.request<any>("call.transport.create", { callId: joined.callId, direction: "send" });
  const { producerId } = await p.request<any>("call.produce", { transportId, kind: "audio", rtpParameters: micParams, appData: { source: "mic" } });
  const rtpCapabilities = joined.routerRtpCapabilities;
  const { consumerId } = await consumer.request<any>("call.consume", { producerId, rtpCapabilities });
  return { callId: joined.callId, transportId, producerId, consumerId, rtpCapabilities };
}
const callIn = (f: Fixture) => (f.call ??= callOf(who.target, who.targetAdmin, f.chatId));

/** The actor's own transport in the chat's call (members), or someone else's (the others). */
async function ownTransport(f: Fixture, a: Actor): Promise<string> {
  if (a === "removed" || a === "stranger") return (await callIn(f)).transportId;
  const { callId } = await who[a].request<any>("call.join", { chatId: f.chatId });
  return (await who[a].request<any>("call.transport.create", { callId, direction: "send" })).transportId;
}

type Cell = "ok" | "forbidden" | "not_found";
type Row = [owner: Cell, admin: Cell, member: Cell];

/** Each command: its params for an actor on a fixture, and the expected [owner, admin, member] outcome. */
const NONE: Row = ["not_found", "not_found", "not_found"];
const commands: Record<string, { method: string; params: (f: Fixture, a: Actor) => unknown; group: Row; channel?: Row }> = {
  "chat.get": { method: "chat.get", params: (f) => ({ chatId: f.chatId }), group: ["ok", "ok", "ok"] },
  "chat.difference": { method: "chat.difference", params: (f) => ({ chatId: f.chatId, afterPos: 0 }), group: ["ok", "ok", "ok"] },
  "chat.rename": { method: "chat.rename", params: (f) => ({ chatId: f.chatId, title: "New" }), group: ["ok", "ok", "forbidden"] },
  "chat.describe": { method: "chat.describe", params: (f) => ({ chatId: f.chatId, description: "d" }), group: ["ok", "ok", "forbidden"] },
  // removing the picture is checked exactly like setting one (src/media/methods.ts: edit_info, like chat.rename)
  "chat.set_avatar": { method: "chat.set_avatar", params: (f) => ({ chatId: f.chatId, avatarId: null }), group: ["ok", "ok", "forbidden"] },
  "chat.set_retention": { method: "chat.set_retention", params: (f) => ({ chatId: f.chatId, disappearSeconds: 3600 }), group: ["ok", "ok", "forbidden"] },
  "chat.mute": { method: "chat.mute", params: (f) => ({ chatId: f.chatId, muted: true }), group: ["ok", "ok", "ok"] },
  "chat.archive": { method: "chat.archive", params: (f) => ({ chatId: f.chatId, archived: true }), group: ["ok", "ok", "ok"] },
  "chat.notify": { method: "chat.notify", params: (f) => ({ chatId: f.chatId, level: "mentions", muteUntil: Date.now() + 3_600_000 }), group: ["ok", "ok", "ok"] },
  "chat.pin": { method: "chat.pin", params: (f) => ({ chatId: f.chatId, pinned: true }), group: ["ok", "ok", "ok"] },
  "member.list": { method: "member.list", params: (f) => ({ chatId: f.chatId }), group: ["ok", "ok", "ok"], channel: ["ok", "ok", "forbidden"] },
  "member.add": { method: "member.add", params: (f) => ({ chatId: f.chatId, userIds: [who.extra.id] }), group: ["ok", "ok", "forbidden"] },
  "member.remove": { method: "member.remove", params: (f) => ({ chatId: f.chatId, userId: who.target.id }), group: ["ok", "ok", "forbidden"] },
  "member.remove (an admin)": {
    method: "member.remove",
    params: (f) => ({ chatId: f.chatId, userId: who.targetAdmin.id }),
    group: ["ok", "forbidden", "forbidden"],
  },
  "member.leave": { method: "member.leave", params: (f) => ({ chatId: f.chatId }), group: ["forbidden", "ok", "ok"] },
  "member.promote": { method: "member.promote", params: (f) => ({ chatId: f.chatId, userId: who.target.id }), group: ["ok", "forbidden", "forbidden"] },
  "member.demote": { method: "member.demote", params: (f) => ({ chatId: f.chatId, userId: who.targetAdmin.id }), group: ["ok", "forbidden", "forbidden"] },
  "message.send": {
    method: "message.send",
    params: (f) => ({ chatId: f.chatId, clientId: cid(), text: "x" }),
    group: ["ok", "ok", "ok"],
    channel: ["ok", "ok", "forbidden"],
  },
  "message.forward": {
    method: "message.forward",
    params: (f, a) => ({ chatId: f.chatId, clientId: cid(), fromChatId: f.saved[a].chatId, messageId: f.saved[a].messageId }),
    group: ["ok", "ok", "ok"],
    channel: ["ok", "ok", "forbidden"],
  },
  "message.edit (own)": {
    method: "message.edit",
    params: (f, a) => ({ chatId: f.chatId, messageId: a === "stranger" ? f.msg.target : f.msg[a as keyof Fixture["msg"]], text: "edited" }),
    group: ["ok", "ok", "ok"],
    channel: ["ok", "ok", "forbidden"], // a subscriber has no own message there: the slot holds the owner's
  },
  "message.edit (another's)": {
    method: "message.edit",
    params: (f) => ({ chatId: f.chatId, messageId: f.msg.target, text: "edited" }),
    group: ["forbidden", "forbidden", "forbidden"],
    channel: ["ok", "forbidden", "forbidden"], // in a channel the owner posted the target's slot
  },
  "message.edit_history": { method: "message.edit_history", params: (f) => ({ chatId: f.chatId, messageId: f.msg.target }), group: ["ok", "ok", "ok"] },
  "message.delete (another's, for everyone)": {
    method: "message.delete",
    params: (f) => ({ chatId: f.chatId, messageId: f.msg.target, forEveryone: true }),
    group: ["ok", "ok", "forbidden"],
  },
  "message.delete (for me)": {
    method: "message.delete",
    params: (f) => ({ chatId: f.chatId, messageId: f.msg.target, forEveryone: false }),
    group: ["ok", "ok", "ok"],
  },
  "message.list": { method: "message.list", params: (f) => ({ chatId: f.chatId, anchor: "latest", direction: "before" }), group: ["ok", "ok", "ok"] },
  "message.list_media": { method: "message.list_media", params: (f) => ({ chatId: f.chatId, kind: "photos" }), group: ["ok", "ok", "ok"] },
  "read.update": { method: "read.update", params: (f) => ({ chatId: f.chatId, seq: 2 }), group: ["ok", "ok", "ok"] },
  "read.list": {
    method: "read.list",
    params: (f) => ({ chatId: f.chatId, messageId: f.msg.owner }),
    group: ["ok", "ok", "ok"],
    channel: ["forbidden", "forbidden", "forbidden"],
  },
  "reaction.toggle": { method: "reaction.toggle", params: (f) => ({ chatId: f.chatId, messageId: f.msg.owner, emoji: "👍" }), group: ["ok", "ok", "ok"] },
  "reaction.list": {
    method: "reaction.list",
    params: (f) => ({ chatId: f.chatId, messageId: f.msg.owner, emoji: "👍" }),
    group: ["ok", "ok", "ok"],
    channel: ["ok", "ok", "forbidden"], // who reacted would list subscribers
  },
  "message.pin": { method: "message.pin", params: (f) => ({ chatId: f.chatId, messageId: f.msg.target }), group: ["ok", "ok", "forbidden"] },
  "message.unpin": { method: "message.unpin", params: (f) => ({ chatId: f.chatId, messageId: f.msg.target }), group: ["ok", "ok", "forbidden"] },
  "message.list_pinned": { method: "message.list_pinned", params: (f) => ({ chatId: f.chatId }), group: ["ok", "ok", "ok"] },
  "chat.link_create": { method: "chat.link_create", params: (f) => ({ chatId: f.chatId, clientId: cid() }), group: ["ok", "ok", "forbidden"] },
  "chat.link_list": { method: "chat.link_list", params: (f) => ({ chatId: f.chatId }), group: ["ok", "ok", "forbidden"] },
  "chat.link_revoke": { method: "chat.link_revoke", params: (f) => ({ chatId: f.chatId, linkId: f.linkId }), group: ["ok", "ok", "forbidden"] },
  // importing writes as other people: owners and admins only (src/chats/access.ts "import")
  "chat.import": { method: "chat.import", params: async (f, a) => ({ mediaId: await exportUpload(who[a]), chatId: f.chatId }), group: ["ok", "ok", "forbidden"] },
  "chat.import_map": { method: "chat.import_map", params: async (f) => ({ chatId: await withImport(f), author: "李小龙", userId: null }), group: ["ok", "ok", "forbidden"] },
  "chat.import_authors": { method: "chat.import_authors", params: (f) => ({ chatId: f.chatId }), group: ["ok", "ok", "forbidden"] },
  "typing.start": {
    method: "typing.start",
    params: (f) => ({ chatId: f.chatId }),
    group: ["ok", "ok", "ok"],
    channel: ["ok", "ok", "forbidden"], // typing needs the right to send
  },
  "typing.stop": { method: "typing.stop", params: (f) => ({ chatId: f.chatId }), group: ["ok", "ok", "ok"] },
  "call.join": { method: "call.join", params: (f) => ({ chatId: f.chatId }), group: ["ok", "ok", "ok"] },
  "call.history": { method: "call.history", params: (f) => ({ chatId: f.chatId }), group: ["ok", "ok", "ok"] },
  "call.decline (a group call: nothing happens)": { method: "call.decline", params: async (f) => ({ callId: (await callIn(f)).callId }), group: ["ok", "ok", "ok"] },
  "call.produce (camera, own transport)": {
    method: "call.produce",
    params: async (f, a) => ({ transportId: await ownTransport(f, a), kind: "video", rtpParameters: cameraParams, appData: { source: "camera" } }),
    group: ["ok", "ok", "ok"],
    channel: ["ok", "ok", "forbidden"], // a channel's call is a broadcast: subscribers talk, admins show
  },
  // Ids of someone else's participation: not_found to everyone not in the call, members included.
  "call.leave": { method: "call.leave", params: async (f) => ({ callId: (await callIn(f)).callId }), group: NONE },
  "call.set_state": { method: "call.set_state", params: async (f) => ({ callId: (await callIn(f)).callId, muted: true }), group: NONE },
  "call.transport.create": { method: "call.transport.create", params: async (f) => ({ callId: (await callIn(f)).callId, direction: "recv" }), group: NONE },
  "call.transport.connect": { method: "call.transport.connect", params: async (f) => ({ transportId: (await callIn(f)).transportId, dtlsParameters }), group: NONE },
  "call.restart_ice": { method: "call.restart_ice", params: async (f) => ({ transportId: (await callIn(f)).transportId }), group: NONE },
  "call.produce (another's transport)": {
    method: "call.produce",
    params: async (f) => ({ transportId: (await callIn(f)).transportId, kind: "audio", rtpParameters: micParams, appData: { source: "mic" } }),
    group: NONE,
  },
  "call.producer.pause": { method: "call.producer.pause", params: async (f) => ({ producerId: (await callIn(f)).producerId }), group: NONE },
  "call.producer.resume": { method: "call.producer.resume", params: async (f) => ({ producerId: (await callIn(f)).producerId }), group: NONE },
  "call.producer.close": { method: "call.producer.close", params: async (f) => ({ producerId: (await callIn(f)).producerId }), group: NONE },
  "call.consume": { method: "call.consume", params: async (f) => ({ producerId: (await callIn(f)).producerId, rtpCapabilities: (await callIn(f)).rtpCapabilities }), group: NONE },
  "call.consumer.resume": { method: "call.consumer.resume", params: async (f) => ({ consumerId: (await callIn(f)).consumerId }), group: NONE },
  "call.consumer.pause": { method: "call.consumer.pause", params: async (f) => ({ consumerId: (await callIn(f)).consumerId }), group: NONE },
  "call.set_preferred_layers": { method: "call.set_preferred_layers", params: async (f) => ({ consumerId: (await callIn(f)).consumerId, spatialLayer: 0 }), group: NONE },
  "draft.save": {
    method: "draft.save",
    params: (f) => ({ chatId: f.chatId, text: "unsent" }),
    group: ["ok", "ok", "ok"],
    channel: ["ok", "ok", "forbidden"], // a draft needs the right to send
  },
};

/**
 * Methods of the catalog that are not commands inside one chat, each with where its own
 * authorization is tested. Every other method must have a matrix row.
 */
const NOT_IN_MATRIX: Record<string, string> = {
  "chat.create": "creates a chat; no chat to be a stranger to (direct-chat rows below; adds in tests/group-add.test.ts)",
  "chat.list": "lists the caller's own chats only",
  "chat.join_by_link": "addressed by a link code, open to anyone holding it: tests/invite-links.test.ts",
  "chat.link_preview": "addressed by a link code: tests/invite-links.test.ts",
  "user.block": "the caller's own block list: tests/blocks.test.ts",
  "user.unblock": "the caller's own block list: tests/blocks.test.ts",
  "user.block_list": "the caller's own block list: tests/blocks.test.ts",
  "user.get": "a public profile by id: tests/user-find.test.ts",
  "user.get_many": "public profiles by id, as user.get: tests/user-find.test.ts",
  "user.find": "public profiles by name: tests/user-find.test.ts",
  "user.search": "people by name, scoped to shared chats and the directory setting: tests/people.test.ts",
  "user.list": "a server-role method: the server roles matrix below",
  "user.set_role": "a server-role method: the server roles matrix below",
  "user.reset_link": "a server-role method: the server roles matrix below",
  "server.settings": "a server-role method: the server roles matrix below",
  "server.set_directory": "a server-role method: the server roles matrix below",
  "me.get": "the caller's own account: tests/accounts.test.ts",
  "profile.update": "the caller's own account: tests/accounts.test.ts",
  "password.change": "the caller's own account: tests/accounts.test.ts",
  "session.list": "the caller's own sessions: tests/sessions.test.ts",
  "session.revoke": "the caller's own sessions: tests/sessions.test.ts",
  "twofactor.setup": "the caller's own account: tests/twofactor.test.ts",
  "twofactor.enable": "the caller's own account: tests/twofactor.test.ts",
  "twofactor.disable": "the caller's own account: tests/twofactor.test.ts",
  "registration_invite.create": "server administration (owner, admins): tests/accounts.test.ts",
  "registration_invite.list": "server administration (owner, admins): tests/accounts.test.ts",
  "registration_invite.revoke": "server administration (owner, admins): tests/accounts.test.ts",
  "registration.set": "server administration (owner, admins): tests/accounts.test.ts",
  "user.set_disabled": "server administration (owner, admins): tests/accounts.test.ts",
  "account.delete": "the caller's own account, re-authenticated: tests/account-deletion.test.ts",
  "user.delete": "a server-role method: the server roles matrix below",
  "user.cancel_deletion": "a server-role method: the server roles matrix below",
  "presence.set": "the caller's own devices: tests/presence.test.ts",
  "presence.get": "anyone's presence as their privacy settings allow: tests/presence.test.ts",
  "privacy.get": "the caller's own settings: tests/presence.test.ts",
  "privacy.set": "the caller's own settings: tests/presence.test.ts",
  "push.config": "the caller's own session: tests/push.test.ts",
  "push.subscribe": "binds to the caller's own session: tests/push.test.ts",
  "push.unsubscribe": "the caller's own session: tests/push.test.ts",
  "push.test": "the caller's own sessions only (another's is not_found): tests/push.test.ts",
  "client.visibility": "the caller's own connection: tests/push.test.ts",
  "notify.get": "the caller's own settings: tests/push.test.ts",
  "notify.set": "the caller's own settings: tests/push.test.ts",
  "preview.get": "server-wide: any signed-in user may ask (a preview holds nothing private), rate-limited per user; message.send's preview is checked after the chat's send right, so a stranger fetches nothing: tests/previews.test.ts",
  "media.usage": "the caller's own storage: tests/media.test.ts",
  "media.stats": "a server-role method: the server roles matrix below",
  "admin.sessions": "a server-role method: the server roles matrix below",
  "admin.revoke_session": "a server-role method: the server roles matrix below",
  "admin.storage": "a server-role method: the server roles matrix below",
  "admin.settings": "a server-role method: the server roles matrix below",
  "admin.set_settings": "a server-role method: the server roles matrix below",
  "admin.ip_blocks": "a server-role method: the server roles matrix below",
  "admin.ip_block": "a server-role method: the server roles matrix below",
  "admin.ip_unblock": "a server-role method: the server roles matrix below",
  "admin.audit": "a server-role method: the server roles matrix below",
  "admin.health": "a server-role method: the server roles matrix below",
  "backup.status": "a server-role method: the server roles matrix below",
};

/**
 * Methods without a row in the blocked-user test below, each with why it cannot reach the
 * person who blocked the caller. Every other method must have a blocked row there.
 */
const NO_BLOCKED_ROW: Record<string, string> = {
  "chat.list": "lists the caller's own chats",
  "user.block": "the caller's own block list (blocking back is their right)",
  "user.unblock": "the caller's own block list",
  "user.block_list": "the caller's own block list",
  "user.get": "reads a public profile; tells its owner nothing",
  "user.get_many": "reads public profiles; tells their owners nothing",
  "user.find": "reads public profiles; tells their owners nothing",
  "user.search": "finds people and tells them nothing; the blocker stays findable so the block is not revealed (a chat then answers blocked)",
  "user.list": "server administration: reaches no peer",
  "user.set_role": "server administration by admins and the owner, who may act on anyone's role",
  "user.reset_link": "server administration by admins and the owner",
  "server.settings": "server administration: reaches no peer",
  "server.set_directory": "server administration: reaches no peer",
  "me.get": "the caller's own account",
  "profile.update": "the caller's own account",
  "password.change": "the caller's own account",
  "session.list": "the caller's own sessions",
  "session.revoke": "the caller's own sessions",
  "twofactor.setup": "the caller's own account",
  "twofactor.enable": "the caller's own account",
  "twofactor.disable": "the caller's own account",
  "registration_invite.create": "server administration: an admin's powers over accounts are not messages to a person",
  "registration_invite.list": "server administration",
  "registration_invite.revoke": "server administration",
  "registration.set": "server administration",
  "user.set_disabled": "server administration: an admin's powers over accounts are not messages to a person",
  "account.delete": "the caller's own account: reaches no peer",
  "user.delete": "server administration: an admin's powers over accounts are not messages to a person",
  "user.cancel_deletion": "server administration: an admin's powers over accounts are not messages to a person",
  "presence.set": "the caller's own devices",
  "presence.get": "reads presence as the blocker's privacy settings allow; tells them nothing",
  "privacy.get": "the caller's own settings",
  "privacy.set": "the caller's own settings",
  "push.config": "the caller's own session",
  "push.subscribe": "the caller's own session; pushes to the blocker are skipped by the notifier (src/push/notifier.ts)",
  "push.unsubscribe": "the caller's own session",
  "push.test": "the caller's own sessions: reaches only the caller",
  "client.visibility": "the caller's own connection",
  "notify.get": "the caller's own settings",
  "notify.set": "the caller's own settings (do-not-disturb shows in presence as the blocker's view of the caller allows)",
  "preview.get": "reads a web page through the server; reaches no person (a preview sent to the blocker is message.send, refused there)",
  "media.usage": "the caller's own storage",
  "media.stats": "server administration: reaches no peer",
  "admin.sessions": "server administration: reaches no peer",
  "admin.revoke_session": "server administration: an admin's powers over accounts are not messages to a person",
  "admin.storage": "server administration: reaches no peer",
  "admin.settings": "server administration: reaches no peer",
  "admin.set_settings": "server administration: reaches no peer",
  "admin.ip_blocks": "server administration: reaches no peer",
  "admin.ip_block": "server administration: reaches no peer (addresses, not people)",
  "admin.ip_unblock": "server administration: reaches no peer",
  "admin.audit": "server administration: reaches no peer",
  "admin.health": "server administration: reaches no peer",
  "backup.status": "server administration: reaches no peer",
};

const methodNames = Object.keys(methods);

describe("authorization matrix: coverage", () => {
  // Derived from the method catalog, so a new method without a row fails here.
  test("every method in the catalog has a matrix row or a named reason not to", () => {
    const covered = new Set(Object.values(commands).map((c) => c.method));
    const missing = methodNames.filter((m) => !covered.has(m) && !(m in NOT_IN_MATRIX));
    expect(missing).toEqual([]);
    const both = methodNames.filter((m) => covered.has(m) && m in NOT_IN_MATRIX);
    expect(both).toEqual([]);
    const stale = [...covered, ...Object.keys(NOT_IN_MATRIX), ...Object.keys(NO_BLOCKED_ROW)].filter((m) => !(m in methods));
    expect(stale).toEqual([]);
  });
});

async function runRow(kind: "group" | "channel", name: string): Promise<Cell[]> {
  const c = commands[name]!;
  return Promise.all(
    ACTORS.map(async (a) => {
      const f = await fixture(kind);
      return (await who[a].code(c.method, await c.params(f, a))) as Cell;
    }),
  );
}

for (const kind of ["group", "channel"] as const) {
  describe(`authorization matrix: ${kind}`, () => {
    for (const [name, c] of Object.entries(commands)) {
      test(name, async () => {
        const expected: Cell[] = [...(kind === "channel" ? (c.channel ?? c.group) : c.group), "not_found", "not_found"];
        expect(await runRow(kind, name)).toEqual(expected);
      });
    }
  });
}

describe("authorization matrix: direct chats", () => {
  test("the two people talk; nobody manages; a third person sees nothing", async () => {
    const { owner: a, member: b, stranger: c } = who;
    const { entry } = await a.request("chat.create", { kind: "direct", userId: b.id });
    const chatId = entry.chat.id;
    const messageId = await sendAs(b, chatId);
    const outcomes = async (p: Person) => [
      await p.code("message.send", { chatId, clientId: cid(), text: "x" }),
      await p.code("message.list", { chatId, anchor: "latest", direction: "before" }),
      await p.code("read.list", { chatId, messageId }),
      await p.code("chat.rename", { chatId, title: "x" }),
      await p.code("chat.set_avatar", { chatId, avatarId: null }),
      await p.code("chat.set_retention", { chatId, autoDeleteDays: 30 }), // either person, as in Signal and WhatsApp
      await p.code("member.add", { chatId, userIds: [c.id] }),
      await p.code("member.leave", { chatId }),
      await p.code("message.delete", { chatId, messageId, forEveryone: true }),
    ];
    expect(await outcomes(a)).toEqual(["ok", "ok", "ok", "forbidden", "forbidden", "ok", "forbidden", "forbidden", "forbidden"]);
    expect(await outcomes(b)).toEqual(["ok", "ok", "ok", "forbidden", "forbidden", "ok", "forbidden", "forbidden", "ok"]);
    expect(await outcomes(c)).toEqual(Array(9).fill("not_found"));
  });

  test("a chat id that does not exist looks exactly like one you are not in", async () => {
    const { entry } = await who.owner.request("chat.create", { kind: "group", clientId: cid(), title: "Secret" });
    const real = await who.stranger.code("chat.get", { chatId: entry.chat.id });
    const fake = await who.stranger.code("chat.get", { chatId: "01ZZZZZZZZZZZZZZZZZZZZZZZZ" });
    expect([real, fake]).toEqual(["not_found", "not_found"]);
  });
});

describe("authorization matrix: a blocked user in the blocker's direct chat", () => {
  // Every chat command, in order (edits before deletes), for the blocked user; the
  // blocker runs the reaching commands afterwards to show the block is one-way.
  test("they read, manage their own view and delete their own words, but reach the blocker with nothing", async () => {
    const { targetAdmin: blocker, extra: blocked } = who;
    const { entry } = await blocker.request("chat.create", { kind: "direct", userId: blocked.id });
    const chatId = entry.chat.id;
    const [mine, mine2, theirs] = [await sendAs(blocked, chatId), await sendAs(blocked, chatId), await sendAs(blocker, chatId)];
    const notes = (await blocked.request("chat.create", { kind: "saved" })).entry.chat.id;
    const fwd = { chatId: notes, messageId: await sendAs(blocked, notes) }; // something they may forward
    const own = (await blocked.request("chat.create", { kind: "group", clientId: cid(), title: "Theirs" })).entry.chat.id;
    const bait = (await blocker.request("chat.create", { kind: "group", clientId: cid(), title: "Blocker's" })).entry.chat.id;
    const { code } = await blocker.request("chat.link_create", { chatId: bait, clientId: cid() });
    const importZip = await exportUpload(blocked);
    const call = await callOf(blocked, blocker, chatId); // live when the block comes: it ends the call
    await blocker.request("user.block", { userId: blocked.id });
    await blocked.event("call.ended", (d) => d.callId === call.callId);
    const on = (messageId: string) => ({ chatId, messageId });
    const rows: [string, string, unknown, Cell | "blocked" | "privacy_restricted"][] = [
      ["chat.create (existing direct)", "chat.create", { kind: "direct", userId: blocker.id }, "ok"],
      // nobody imports into a direct chat (blocked or not): it has no owner or admin
      ["chat.import", "chat.import", { mediaId: importZip, chatId }, "forbidden"],
      ["chat.import_map", "chat.import_map", { chatId, author: "x", userId: null }, "forbidden"],
      ["chat.import_authors", "chat.import_authors", { chatId }, "forbidden"],
      ["chat.create (a group with the blocker)", "chat.create", { kind: "group", clientId: cid(), title: "x", memberIds: [blocker.id] }, "privacy_restricted"],
      ["member.add (the blocker, into their own group)", "member.add", { chatId: own, userIds: [blocker.id] }, "privacy_restricted"],
      ["chat.link_preview (the blocker's group)", "chat.link_preview", { code }, "ok"], // groups are unaffected: joining is their choice
      ["chat.join_by_link (the blocker's group)", "chat.join_by_link", { code }, "ok"],
      ["chat.get", "chat.get", { chatId }, "ok"],
      ["chat.rename", "chat.rename", { chatId, title: "x" }, "forbidden"],
      ["chat.describe", "chat.describe", { chatId, description: "x" }, "forbidden"],
      ["chat.set_avatar", "chat.set_avatar", { chatId, avatarId: null }, "forbidden"],
      ["chat.set_retention", "chat.set_retention", { chatId, disappearSeconds: 60 }, "blocked"], // announced to the blocker
      ["chat.mute", "chat.mute", { chatId, muted: true }, "ok"],
      ["chat.difference", "chat.difference", { chatId, afterPos: 0 }, "ok"],
      ["chat.archive", "chat.archive", { chatId, archived: true }, "ok"],
      ["chat.notify", "chat.notify", { chatId, level: "none" }, "ok"], // the caller's own view of the chat
      ["chat.pin", "chat.pin", { chatId, pinned: true }, "ok"],
      ["member.list", "member.list", { chatId }, "ok"],
      ["member.add", "member.add", { chatId, userIds: [who.stranger.id] }, "forbidden"],
      ["member.remove", "member.remove", { chatId, userId: blocker.id }, "forbidden"],
      ["member.promote", "member.promote", { chatId, userId: blocker.id }, "forbidden"],
      ["member.demote", "member.demote", { chatId, userId: blocker.id }, "forbidden"],
      ["member.leave", "member.leave", { chatId }, "forbidden"],
      ["message.send", "message.send", { chatId, clientId: cid(), text: "x" }, "blocked"],
      ["message.forward", "message.forward", { chatId, clientId: cid(), fromChatId: fwd.chatId, messageId: fwd.messageId }, "blocked"],
      ["message.edit (own)", "message.edit", { ...on(mine), text: "edited" }, "blocked"],
      ["message.edit_history", "message.edit_history", on(mine), "ok"],
      ["message.list", "message.list", { chatId, anchor: "latest", direction: "before" }, "ok"],
      ["message.list_media", "message.list_media", { chatId, kind: "files" }, "ok"],
      ["read.update", "read.update", { chatId, seq: 3 }, "ok"],
      ["read.list", "read.list", on(theirs), "ok"],
      ["reaction.toggle", "reaction.toggle", { ...on(theirs), emoji: "👍" }, "blocked"],
      ["reaction.list", "reaction.list", { ...on(theirs), emoji: "👍" }, "ok"],
      ["message.pin", "message.pin", on(theirs), "blocked"],
      ["message.unpin", "message.unpin", on(theirs), "blocked"],
      ["message.list_pinned", "message.list_pinned", { chatId }, "ok"],
      ["chat.link_create", "chat.link_create", { chatId, clientId: cid() }, "forbidden"],
      ["chat.link_list", "chat.link_list", { chatId }, "forbidden"],
      ["chat.link_revoke", "chat.link_revoke", { chatId, linkId: "01ZZZZZZZZZZZZZZZZZZZZZZZZ" }, "forbidden"],
      ["typing.start", "typing.start", { chatId }, "blocked"],
      ["typing.stop", "typing.stop", { chatId }, "ok"],
      ["draft.save", "draft.save", { chatId, text: "unsent" }, "ok"], // a draft reaches nobody
      ["message.delete (another's, for everyone)", "message.delete", { ...on(theirs), forEveryone: true }, "forbidden"],
      ["message.delete (own, for everyone)", "message.delete", { ...on(mine2), forEveryone: true }, "ok"],
      ["message.delete (for me)", "message.delete", { ...on(theirs), forEveryone: false }, "ok"],
      ["call.join", "call.join", { chatId }, "blocked"], // refused before any media is touched (tests/calls.test.ts)
      ["call.history", "call.history", { chatId }, "ok"],
      // The block ended the call they were in: nothing of it is theirs any more.
      ["call.decline", "call.decline", { callId: call.callId }, "not_found"],
      ["call.leave", "call.leave", { callId: call.callId }, "not_found"],
      ["call.set_state", "call.set_state", { callId: call.callId, muted: true }, "not_found"],
      ["call.transport.create", "call.transport.create", { callId: call.callId, direction: "send" }, "not_found"],
      ["call.transport.connect", "call.transport.connect", { transportId: call.transportId, dtlsParameters }, "not_found"],
      ["call.restart_ice", "call.restart_ice", { transportId: call.transportId }, "not_found"],
      ["call.produce", "call.produce", { transportId: call.transportId, kind: "audio", rtpParameters: micParams, appData: { source: "mic" } }, "not_found"],
      ["call.producer.pause", "call.producer.pause", { producerId: call.producerId }, "not_found"],
      ["call.producer.resume", "call.producer.resume", { producerId: call.producerId }, "not_found"],
      ["call.producer.close", "call.producer.close", { producerId: call.producerId }, "not_found"],
      ["call.consume", "call.consume", { producerId: call.producerId, rtpCapabilities: call.rtpCapabilities }, "not_found"],
      ["call.consumer.resume", "call.consumer.resume", { consumerId: call.consumerId }, "not_found"],
      ["call.consumer.pause", "call.consumer.pause", { consumerId: call.consumerId }, "not_found"],
      ["call.set_preferred_layers", "call.set_preferred_layers", { consumerId: call.consumerId, spatialLayer: 0 }, "not_found"],
    ];
    // Every method of the catalog has a blocked row or a named reason why it cannot reach the blocker.
    const unrowed = methodNames.filter((m) => !rows.some((r) => r[1] === m) && !(m in NO_BLOCKED_ROW));
    expect(unrowed).toEqual([]);
    expect(methodNames.filter((m) => rows.some((r) => r[1] === m) && m in NO_BLOCKED_ROW)).toEqual([]);
    const got: Record<string, string> = {};
    for (const [name, method, params] of rows) got[name] = await blocked.code(method, params);
    expect(got).toEqual(Object.fromEntries(rows.map(([name, , , want]) => [name, want])));
    const reach = [
      await blocker.code("message.send", { chatId, clientId: cid(), text: "x" }),
      await blocker.code("reaction.toggle", { ...on(mine), emoji: "👍" }),
      await blocker.code("message.pin", on(mine)),
    ];
    expect(reach).toEqual(["ok", "ok", "ok"]);
    await blocker.request("user.unblock", { userId: blocked.id });
    expect(await blocked.code("message.send", { chatId, clientId: cid(), text: "x" })).toBe("ok");
  });
});

// ---- server roles: account methods × {server owner, server admin, member} ----
// Targets are fresh people per cell (a disable or role change cannot leak into the next).
type ServerRow = [owner: Cell, admin: Cell, member: Cell];
type ServerActor = "owner" | "admin" | "member";
const serverActors: ServerActor[] = ["owner", "admin", "member"];

async function serverPerson(role: "owner" | "admin" | "member"): Promise<Person> {
  const p = await s.person("srv");
  if (role !== "member") await s.deps.storage.users.setRole(p.id, role);
  return p;
}

const sessionOf = async (p: Person) => ({ userId: p.id, sessionId: (await s.deps.storage.sessions.listForUser(p.id))[0]!.id });
let blockSeq = 0;
/** A block (of a TEST-NET address no test request comes from) for one cell to lift. */
async function blockToLift(): Promise<string> {
  const now = s.deps.now();
  const id = `lift${++blockSeq}`;
  await s.deps.storage.admin.addIpBlock({ id, cidr: `198.51.100.${blockSeq}/32`, note: "", createdBy: null, createdAt: now, expiresAt: now + 60_000 }, 1000, now);
  return id;
}

const serverCommands: Record<string, { method: string; params: (target: Record<"member" | "admin" | "owner", Person>, actor: Person) => unknown | Promise<unknown>; row: ServerRow }> = {
  "registration_invite.create": { method: "registration_invite.create", params: () => ({ clientId: cid() }), row: ["ok", "ok", "forbidden"] },
  "registration_invite.list": { method: "registration_invite.list", params: () => ({}), row: ["ok", "ok", "forbidden"] },
  "registration_invite.revoke": {
    method: "registration_invite.revoke",
    params: async (t) => ({ inviteId: (await t.owner.request("registration_invite.create", { clientId: cid() })).invite.id }),
    row: ["ok", "ok", "forbidden"],
  },
  "registration.set": { method: "registration.set", params: () => ({ mode: "open" }), row: ["ok", "ok", "forbidden"] },
  "user.list": { method: "user.list", params: () => ({ query: "srv" }), row: ["ok", "ok", "forbidden"] },
  "server.settings": { method: "server.settings", params: () => ({}), row: ["ok", "ok", "forbidden"] },
  "server.set_directory": { method: "server.set_directory", params: () => ({ enabled: true }), row: ["ok", "ok", "forbidden"] },
  "media.stats": { method: "media.stats", params: () => ({}), row: ["ok", "ok", "forbidden"] },
  "admin.sessions (a member's)": { method: "admin.sessions", params: (t) => ({ userId: t.member.id }), row: ["ok", "ok", "forbidden"] },
  "admin.revokeSession (a member's)": { method: "admin.revoke_session", params: (t) => sessionOf(t.member), row: ["ok", "ok", "forbidden"] },
  "admin.revokeSession (an admin's)": { method: "admin.revoke_session", params: (t) => sessionOf(t.admin), row: ["ok", "forbidden", "forbidden"] },
  "admin.revokeSession (the owner's)": { method: "admin.revoke_session", params: (t) => sessionOf(t.owner), row: ["forbidden", "forbidden", "forbidden"] },
  "admin.storage": { method: "admin.storage", params: () => ({}), row: ["ok", "ok", "forbidden"] },
  "admin.settings": { method: "admin.settings", params: () => ({}), row: ["ok", "ok", "forbidden"] },
  "admin.set_settings": { method: "admin.set_settings", params: () => ({ directory: true }), row: ["ok", "ok", "forbidden"] },
  "admin.ip_blocks": { method: "admin.ip_blocks", params: () => ({}), row: ["ok", "ok", "forbidden"] },
  "admin.ip_block": { method: "admin.ip_block", params: () => ({ cidr: `192.0.2.${++blockSeq}`, expiresInMs: 60_000 }), row: ["ok", "ok", "forbidden"] },
  "admin.ip_unblock": { method: "admin.ip_unblock", params: async () => ({ id: await blockToLift() }), row: ["ok", "ok", "forbidden"] },
  "admin.audit": { method: "admin.audit", params: () => ({}), row: ["ok", "ok", "forbidden"] },
  "admin.health": { method: "admin.health", params: () => ({}), row: ["ok", "ok", "forbidden"] },
  "backup.status": { method: "backup.status", params: () => ({}), row: ["ok", "ok", "forbidden"] },
  "user.setDisabled (a member)": { method: "user.set_disabled", params: (t) => ({ userId: t.member.id, disabled: true }), row: ["ok", "ok", "forbidden"] },
  "user.setDisabled (an admin)": { method: "user.set_disabled", params: (t) => ({ userId: t.admin.id, disabled: true }), row: ["ok", "forbidden", "forbidden"] },
  "user.setDisabled (the owner)": { method: "user.set_disabled", params: (t) => ({ userId: t.owner.id, disabled: true }), row: ["forbidden", "forbidden", "forbidden"] },
  "user.setDisabled (oneself)": { method: "user.set_disabled", params: (_t, a) => ({ userId: a.id, disabled: true }), row: ["forbidden", "forbidden", "forbidden"] },
  "user.setRole (promote a member)": { method: "user.set_role", params: (t) => ({ userId: t.member.id, role: "admin" }), row: ["ok", "ok", "forbidden"] },
  "user.setRole (demote an admin)": { method: "user.set_role", params: (t) => ({ userId: t.admin.id, role: "member" }), row: ["ok", "forbidden", "forbidden"] },
  "user.setRole (demote the owner)": { method: "user.set_role", params: (t) => ({ userId: t.owner.id, role: "member" }), row: ["forbidden", "forbidden", "forbidden"] },
  "user.setRole (oneself)": { method: "user.set_role", params: (_t, a) => ({ userId: a.id, role: "member" }), row: ["forbidden", "forbidden", "forbidden"] },
  "user.resetLink (a member)": { method: "user.reset_link", params: (t) => ({ userId: t.member.id }), row: ["ok", "ok", "forbidden"] },
  "user.resetLink (an admin)": { method: "user.reset_link", params: (t) => ({ userId: t.admin.id }), row: ["ok", "forbidden", "forbidden"] },
  "user.resetLink (the owner)": { method: "user.reset_link", params: (t) => ({ userId: t.owner.id }), row: ["forbidden", "forbidden", "forbidden"] },
  "user.delete (a member)": { method: "user.delete", params: (t) => ({ userId: t.member.id }), row: ["ok", "ok", "forbidden"] },
  "user.delete (an admin)": { method: "user.delete", params: (t) => ({ userId: t.admin.id }), row: ["ok", "forbidden", "forbidden"] },
  "user.delete (the owner)": { method: "user.delete", params: (t) => ({ userId: t.owner.id }), row: ["forbidden", "forbidden", "forbidden"] },
  "user.delete (oneself)": { method: "user.delete", params: (_t, a) => ({ userId: a.id }), row: ["forbidden", "forbidden", "forbidden"] },
  "user.cancelDeletion (a member's)": { method: "user.cancel_deletion", params: (t) => scheduled(t.member), row: ["ok", "ok", "forbidden"] },
  "user.cancelDeletion (an admin's)": { method: "user.cancel_deletion", params: (t) => scheduled(t.admin), row: ["ok", "forbidden", "forbidden"] },
};

/** A person whose deletion an admin scheduled (straight in storage: the cell tests only the cancel). */
async function scheduled(p: Person) {
  await s.deps.storage.deletions.schedule(p.id, { at: s.deps.now() + 60_000, by: "admin" });
  return { userId: p.id };
}

/** Account methods that act only on the caller's own account or only read (their tests named). */
const SELF_OR_ANYONE: Record<string, string> = {
  "me.get": "own account: tests/accounts.test.ts",
  "profile.update": "own profile: tests/accounts.test.ts",
  "password.change": "own password, needs the current one: tests/accounts.test.ts",
  "session.list": "own sessions: tests/sessions.test.ts",
  "session.revoke": "own sessions only (not_found otherwise): tests/sessions.test.ts",
  "twofactor.setup": "own account: tests/twofactor.test.ts",
  "twofactor.enable": "own account: tests/twofactor.test.ts",
  "twofactor.disable": "own account: tests/twofactor.test.ts",
  "user.get": "anyone signed in: tests/accounts.test.ts",
  "user.get_many": "anyone signed in: tests/user-find.test.ts",
  "user.find": "anyone signed in; disabled not found: tests/user-find.test.ts",
  "user.search": "anyone signed in, scoped to shared chats or the directory: tests/people.test.ts",
  "account.delete": "own account, needs the password (and second factor): tests/account-deletion.test.ts",
};

describe("authorization matrix: server roles", () => {
  test("every account method has a server-role row (or a named reason not to)", async () => {
    const { accountMethods } = await import("../src/protocol/methods/accounts.ts");
    const covered = new Set(Object.values(serverCommands).map((c) => c.method));
    const missing = Object.keys(accountMethods).filter((m) => !covered.has(m) && !(m in SELF_OR_ANYONE));
    expect(missing).toEqual([]);
  });
  for (const [name, c] of Object.entries(serverCommands)) {
    test(name, async () => {
      const got = await Promise.all(
        serverActors.map(async (role) => {
          const [actor, member, admin, owner] = await Promise.all([serverPerson(role), serverPerson("member"), serverPerson("admin"), serverPerson("owner")]);
          const targets = { member, admin, owner };
          return (await actor.code(c.method, await c.params(targets, actor))) as Cell;
        }),
      );
      expect(got).toEqual(c.row);
    });
  }
});
