// Creating chats: a direct chat is opened (it exists at most once per pair, so opening
// twice returns the same chat), groups and channels are created (a retry with the same
// clientId returns the first result). The creator gets `chat.created`, every other new
// member `chat.joined`, each with their own entry at the chat's log pos.
import { newId } from "../ids.ts";
import type { ChatParams, ChatResult } from "../protocol/methods/chats.ts";
import type { Deps } from "../core/deps.ts";
import type { ChatEntry } from "../protocol/methods/chats.ts";
import type { Chat, ChatCreated } from "../storage/chats-port.ts";
import type { EventDraft, StoredEvent } from "../storage/port.ts";
import { publishCommitted } from "../events/publish.ts";
import { chatNotFound, mayAdd } from "./access.ts";
import { except, posDraft, someone } from "./drafts.ts";
import { chatEntry, committedEntry, joinedEntry } from "./views.ts";
import { validateDescription, validateMemberIds, validateTitle } from "./validate.ts";

type CreateParams = ChatParams<"chat.create">;

export async function createChat(deps: Deps, userId: string, p: CreateParams): Promise<ChatResult<"chat.create">> {
  if (p.kind === "direct" || p.kind === "saved") {
    const peerId = p.kind === "saved" ? userId : p.userId;
    return openDirect(deps, userId, peerId);
  }
  const title = validateTitle(p.title);
  const description = validateDescription(p.description ?? "");
  const memberIds = validateMemberIds(p.memberIds ?? [], userId, "memberIds");
  const now = deps.now();
  const input = { id: newId(now), kind: p.kind, title, description, ownerId: userId, memberIds, now };
  const done = await deps.storage.chats.create(input, mayAdd, {
    emit: (r) => createdDrafts(r, userId),
    idempotency: { userId, key: `chat.create:${p.clientId}`, method: "chat.create" },
    membersMax: deps.config.chats.groupMembersMax,
  });
  await publishCommitted(deps, done);
  return { entry: await ownEntry(deps, done.events, userId, done.value.chat), created: true };
}

/** The creator's entry as their chat.created carries it (pos filled at commit); on a replay, as it is now. */
async function ownEntry(deps: Deps, events: readonly StoredEvent[], userId: string, chat: Chat): Promise<ChatEntry> {
  const mine = committedEntry(events, userId, "chat.created");
  if (mine) return mine;
  const now = await deps.storage.chats.entryFor(chat.id, userId);
  if (now) return chatEntry(now);
  const head = (await deps.storage.chatLog.heads([chat.id])).get(chat.id);
  return { ...joinedEntry(chat, "owner", chat.createdAt, null), pos: head?.pos ?? 0 }; // left since: as it was made
}

async function openDirect(deps: Deps, userId: string, peerId: string): Promise<ChatResult<"chat.create">> {
  const now = deps.now();
  const done = await deps.storage.chats.openDirect(
    { id: newId(now), userId, peerId, now },
    { emit: (r) => (r.created ? directDrafts(r, userId, peerId) : []) },
  );
  await publishCommitted(deps, done);
  const entry = await deps.storage.chats.entryFor(done.value.chat.id, userId);
  if (!entry) throw chatNotFound(); // only if the chat vanished in between
  return { entry: chatEntry(entry), created: done.value.created };
}

function directDrafts(r: ChatCreated, userId: string, peerId: string): EventDraft[] {
  const { chat } = r;
  const created = posDraft([userId], chat.id, "chat.created", { entry: joinedEntry(chat, "member", chat.createdAt, peerId) });
  if (userId === peerId) return [created];
  return [created, posDraft([peerId], chat.id, "chat.joined", { entry: joinedEntry(chat, "member", chat.createdAt, userId), pos: 0 })];
}

/** The creator hears chat.created, everyone added with it chat.joined; both at the chat's pos after creation. */
function createdDrafts(r: ChatCreated, ownerId: string): EventDraft[] {
  const { chat } = r;
  return someone([
    posDraft([ownerId], chat.id, "chat.created", { entry: joinedEntry(chat, "owner", chat.createdAt, null) }),
    posDraft(except(r.memberIds, ownerId), chat.id, "chat.joined", { entry: joinedEntry(chat, "member", chat.createdAt, null), pos: 0 }),
  ]);
}
