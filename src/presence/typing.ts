// Typing indicators: throttled per user per chat, expiring without a repeat, sent only
// to the chat's other members' live connections (ephemeral, never stored). Kept per
// process: the process that accepted a start owns its expiry.
import { requireChat } from "../chats/access.ts";
import { publishEphemeral } from "../events/ephemeral.ts";
import { limits } from "../limits.ts";
import type { Deps } from "../core/deps.ts";

interface Active {
  acceptedAt: number;
  timer: ReturnType<typeof setTimeout>;
}

export class Typing {
  private readonly active = new Map<string, Active>(); // `${chatId} ${userId}`

  constructor(private readonly deps: Deps) {}

  async start(userId: string, chatId: string): Promise<{ accepted: boolean }> {
    const { chat } = await requireChat(this.deps.storage, userId, chatId, "send");
    // saved: nobody to tell; channels: readers should not watch admins draft
    if (chat.kind !== "direct" && chat.kind !== "group") return { accepted: false };
    const key = `${chatId} ${userId}`;
    const now = this.deps.now();
    const prev = this.active.get(key);
    if (prev && now - prev.acceptedAt < limits.typingThrottleMs) return { accepted: false };
    if (prev) clearTimeout(prev.timer);
    const timer = setTimeout(() => void this.end(key, userId, chatId), limits.typingTtlMs);
    timer.unref?.();
    this.active.set(key, { acceptedAt: now, timer });
    await this.tell(userId, chatId, { chatId, userId, typing: true, expiresInMs: limits.typingTtlMs });
    return { accepted: true };
  }

  async stop(userId: string, chatId: string): Promise<object> {
    await requireChat(this.deps.storage, userId, chatId, "read");
    const key = `${chatId} ${userId}`;
    const prev = this.active.get(key);
    if (prev) {
      clearTimeout(prev.timer);
      await this.end(key, userId, chatId);
    }
    return {};
  }

  private async end(key: string, userId: string, chatId: string): Promise<void> {
    this.active.delete(key);
    await this.tell(userId, chatId, { chatId, userId, typing: false }).catch((e) => this.deps.log.warn("typing stop failed", { err: String(e) }));
  }

  /** To the members as they are now (someone removed meanwhile hears nothing more). */
  private async tell(userId: string, chatId: string, data: object): Promise<void> {
    const members = await this.deps.storage.chats.members(chatId, { limit: limits.typingMembersMax + 1 });
    if (members.length > limits.typingMembersMax) return;
    const to = members.map((m) => m.userId).filter((u) => u !== userId);
    await publishEphemeral(this.deps, to, [{ type: "typing.changed", data }]);
  }

  stopAll(): void {
    for (const a of this.active.values()) clearTimeout(a.timer);
    this.active.clear();
  }
}
