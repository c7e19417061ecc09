// Bench setup straight through the storage port: users sharing one password hash,
// a 1,000-member group, one direct chat per durable sender, a channel with its own
// subscribers, a "returner" in many small groups (the resume run), a session per
// connecting user and an access token signed with the data dir's key (what /auth/login
// would hand out).
import { join } from "node:path";
import { signAccessToken } from "../../src/accounts/tokens.ts";
import { hashToken, newId, randomToken } from "../../src/ids.ts";
import type { Secrets } from "../../src/secrets/secrets.ts";
import { loadSecrets } from "../../src/secrets/store.ts";
import type { Storage } from "../../src/storage/port.ts";
import { openSqliteStorage } from "../../src/storage/sqlite/storage.ts";

export interface Seeded {
  groupId: string;
  fanSenderToken: string;
  receiverTokens: string[];
  senderTokens: string[];
  senderChatIds: string[]; // senderChatIds[i]: sender i's direct chat with receiver i (mod the receivers)
  channelId: string; // owned by the fan sender
  channelTokens: string[]; // the subscribers that connect (the first channel.connected)
  returnerToken: string;
  returnerChatIds: string[]; // groups of the returner and the fan sender
}

export interface SeedSizes {
  receivers: number;
  senders: number;
  channel: { members: number; connected: number };
  returnerChats: number;
}

const REFRESH_TTL_MS = 3_600_000; // the access token is the server's (15 min); nothing refreshes in a run

async function users(storage: Storage, prefix: string, n: number, passwordHash: string): Promise<string[]> {
  const now = Date.now();
  const made = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      storage.users.create({ id: newId(), username: `${prefix}${i}`, displayName: `${prefix} ${i}`, passwordHash, role: "member", createdAt: now }),
    ),
  );
  return made.map((m) => m.value.id);
}

// the server's own signer: a token it would not have issued (no iat, a longer life) is refused
async function tokenFor(storage: Storage, secrets: Secrets, userId: string): Promise<string> {
  const now = Date.now();
  const s = await storage.sessions.create({
    id: newId(),
    userId,
    deviceName: "bench",
    ip: "127.0.0.1",
    createdAt: now,
    refreshHash: hashToken(randomToken()),
    refreshExpiresAt: now + REFRESH_TTL_MS,
  });
  return (await signAccessToken(secrets, { sub: userId, sid: s.id }, now)).token;
}

export async function seed(dir: string, n: SeedSizes): Promise<Seeded> {
  const storage = await openSqliteStorage({ file: join(dir, "hearth.sqlite"), durability: "normal" });
  try {
    const secrets = loadSecrets(dir);
    const hash = await Bun.password.hash(randomToken());
    const [fan] = await users(storage, "fan", 1, hash);
    const receivers = await users(storage, "rcv", n.receivers, hash);
    const senders = await users(storage, "snd", n.senders, hash);
    const now = Date.now();
    const group = await storage.chats.create({ id: newId(), kind: "group", title: "bench", description: "", ownerId: fan!, memberIds: receivers, now }, () => {});
    const dms = await Promise.all(senders.map((s, i) => storage.chats.openDirect({ id: newId(), userId: s, peerId: receivers[i % receivers.length]!, now })));
    const subs = await users(storage, "sub", n.channel.members - 1, hash);
    const channel = await storage.chats.create({ id: newId(), kind: "channel", title: "bench channel", description: "", ownerId: fan!, memberIds: subs, now }, () => {}, { membersMax: n.channel.members });
    const [returner] = await users(storage, "ret", 1, hash);
    const groups = await Promise.all(
      Array.from({ length: n.returnerChats }, (_, i) => storage.chats.create({ id: newId(), kind: "group", title: `r${i}`, description: "", ownerId: fan!, memberIds: [returner!], now }, () => {})),
    );
    return {
      channelId: channel.value.chat.id,
      channelTokens: await Promise.all(subs.slice(0, n.channel.connected).map((u) => tokenFor(storage, secrets, u))),
      returnerToken: await tokenFor(storage, secrets, returner!),
      returnerChatIds: groups.map((g) => g.value.chat.id),
      groupId: group.value.chat.id,
      fanSenderToken: await tokenFor(storage, secrets, fan!),
      receiverTokens: await Promise.all(receivers.map((u) => tokenFor(storage, secrets, u))),
      senderTokens: await Promise.all(senders.map((u) => tokenFor(storage, secrets, u))),
      senderChatIds: dms.map((d) => d.value.chat.id),
    };
  } finally {
    await storage.close();
  }
}
