// Forwarding one message to several chats: per chat an optional comment (message.send)
// and then the forward (message.forward), each with a client id chosen once per target,
// so pressing Forward again after a failure repeats nothing that already arrived. The
// server checks each target chat (the right to send there) on its own.
import type { ChatEntry } from "../../../src/protocol/methods/chats.ts";

export const forwardTargetsMax = 20; // chats one forward goes to (2 requests each)

export interface ForwardPlan {
  chatId: string;
  commentClientId: string;
  forwardClientId: string;
}

export type Send = (method: "message.send" | "message.forward", params: Record<string, unknown>) => Promise<unknown>;

/** Chats you may post in, matching the search (title words), in list order. */
export function forwardTargets(entries: ChatEntry[], query: string, title: (e: ChatEntry) => string): ChatEntry[] {
  const q = query.trim().toLowerCase();
  return entries.filter((e) => (e.chat.kind !== "channel" || e.me.role !== "member") && (!q || title(e).toLowerCase().includes(q)));
}

/** Sends to every planned chat; returns the chat ids that failed (with the first error). */
export async function forwardToAll(
  plans: ForwardPlan[],
  origin: { chatId: string; messageId: string },
  comment: string,
  request: Send,
): Promise<{ failed: string[]; error: unknown }> {
  const failed: string[] = [];
  let error: unknown = null;
  for (const p of plans) {
    try {
      if (comment.trim()) await request("message.send", { chatId: p.chatId, clientId: p.commentClientId, text: comment });
      await request("message.forward", { chatId: p.chatId, clientId: p.forwardClientId, fromChatId: origin.chatId, messageId: origin.messageId });
    } catch (e) {
      failed.push(p.chatId);
      error ??= e;
    }
  }
  return { failed, error };
}
