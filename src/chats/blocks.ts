// Blocking: the blocked user can no longer reach you — in your direct chat (send, react,
// pin, typing, calls: `blocked`, decided by access.ts from the store's AccessContext), by
// opening a new one, by adding you to a group or channel (access.ts mayAdd), or by
// mentioning you (messages/send.ts). A call needs both people, so you cannot call them
// either, and a block ends a 1:1 call in progress (calls/calls.ts). Blocking hides nothing
// already stored and changes nothing else in groups. Only your own devices hear of it:
// the blocked person is not told.
import { invalidField } from "../errors.ts";
import { publishCommitted } from "../events/publish.ts";
import type { BlockParams } from "../protocol/methods/blocks.ts";
import type { Deps } from "../core/deps.ts";
import type { BlockChanged } from "../storage/chats-port.ts";
import { draft } from "./drafts.ts";
import { pageSize } from "./validate.ts";

const changedDrafts = (r: BlockChanged, blocked: boolean) => (r.changed ? [draft([r.userId], "user.block_changed", { userId: r.blockedId, blocked })] : []);

export async function blockUser(deps: Deps, userId: string, targetId: string): Promise<object> {
  if (targetId === userId) throw invalidField("userId", "you cannot block yourself");
  const done = await deps.storage.chats.block(userId, targetId, deps.now(), { emit: (r) => changedDrafts(r, true) });
  await publishCommitted(deps, done);
  return {};
}

export async function unblockUser(deps: Deps, userId: string, targetId: string): Promise<object> {
  const done = await deps.storage.chats.unblock(userId, targetId, deps.now(), { emit: (r) => changedDrafts(r, false) });
  await publishCommitted(deps, done);
  return {};
}

export async function blockList(deps: Deps, userId: string, p: BlockParams<"user.block_list">) {
  const limit = pageSize(p.limit, 100);
  const rows = await deps.storage.chats.blocks(userId, { limit: limit + 1, afterUserId: p.afterUserId });
  return { users: rows.slice(0, limit), hasMore: rows.length > limit };
}
