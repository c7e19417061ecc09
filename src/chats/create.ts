// Creating chats: a direct chat is opened (it exists at most once per pair, so opening
// twice returns the same chat), groups and channels are created (a retry with the same
// clientId returns the first result). Every new member gets `chat.created` with their
// own entry.
import { newId } from "../ids.ts";
import type { ChatParams, ChatResult } from "../protocol/methods/chats.ts";
import type { Deps } from "../core/deps.ts";
import type { ChatCreated } from "../storage/chats-port.ts";
import type { EventDraft } from "../storage/port.ts";
import { publishCommitted } from "../events/publish.ts";
import { chatNotFound, mayAdd } from "./access.ts";
import { draft, except, someone } from "./drafts.ts";
import { chatEntry, joinedEntry } from "./views.ts";
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
  await publishCommitted(deps, done.events);
  const chat = done.value.chat;
  return { entry: joinedEntry(chat, "owner", chat.createdAt, null), created: true };
}

async function openDirect(deps: Deps, userId: string, peerId: string): Promise<ChatResult<"chat.create">> {
  const now = deps.now();
  const done = await deps.storage.chats.openDirect(
    { id: newId(now), userId, peerId, now },
    { emit: (r) => (r.created ? directDrafts(r, userId, peerId) : []) },
  );
  await publishCommitted(deps, done.events);
  const entry = await deps.storage.chats.entryFor(done.value.chat.id, userId);
  if (!entry) throw chatNotFound(); // only if the chat vanished in between
  return { entry: chatEntry(entry), created: done.value.created };
}

function directDrafts(r: ChatCreated, userId: string, peerId: string): EventDraft[] {
  const { chat } = r;
  if (userId === peerId) return [draft([userId], "chat.created", { entry: joinedEntry(chat, "member", chat.createdAt, userId) })];
  return [
    draft([userId], "chat.created", { entry: joinedEntry(chat, "member", chat.createdAt, peerId) }),
    draft([peerId], "chat.created", { entry: joinedEntry(chat, "member", chat.createdAt, userId) }),
  ];
}

function createdDrafts(r: ChatCreated, ownerId: string): EventDraft[] {
  const { chat } = r;
  return someone([
    draft([ownerId], "chat.created", { entry: joinedEntry(chat, "owner", chat.createdAt, null) }),
    draft(except(r.memberIds, ownerId), "chat.created", { entry: joinedEntry(chat, "member", chat.createdAt, null) }),
  ]);
}
