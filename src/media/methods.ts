// WS methods of media (src/protocol/methods/media.ts): your usage, the admins' totals,
// a chat's picture.
import { requireAdmin } from "../accounts/access.ts";
import { checkFor } from "../chats/access.ts";
import { chatDraft } from "../chats/drafts.ts";
import { publishCommitted } from "../events/publish.ts";
import { limits } from "../limits.ts";
import { mediaMethods as spec } from "../protocol/methods/media.ts";
import type { MediaStats, MediaUsage } from "../protocol/media.ts";
import type { Deps } from "../core/deps.ts";
import { bind } from "../core/module.ts";

export async function mediaUsage(deps: Deps, userId: string): Promise<MediaUsage> {
  const u = await deps.storage.media.usage(userId);
  return { usedBytes: u.usedBytes, limitBytes: deps.config.media.userQuotaBytes, fileBytesMax: deps.config.media.fileBytesMax, uploadsInProgress: u.uploadsInProgress };
}

export async function mediaStats(deps: Deps): Promise<MediaStats> {
  const s = await deps.storage.media.stats(limits.mediaStatsTopUsersMax);
  return { ...s, limitBytes: deps.config.media.serverQuotaBytes };
}

export async function setChatAvatar(deps: Deps, userId: string, chatId: string, avatarId: string | null) {
  const done = await deps.storage.media.setChatAvatar(chatId, userId, avatarId, checkFor(userId, "edit_info"), {
    emit: (r) => [chatDraft(chatId, "chat.updated", { chat: r.chat })],
  });
  await publishCommitted(deps, done);
  return { chat: done.value.chat };
}

export function mediaMethodDefs(deps: Deps) {
  return [
    bind("media.usage", (x) => mediaUsage(deps, x.userId)),
    bind("media.stats", async (x) => {
        await requireAdmin(deps, x.userId);
        return mediaStats(deps);
      }),
    bind("chat.set_avatar", (x, p) => setChatAvatar(deps, x.userId, p.chatId, p.avatarId)),
  ];
}
