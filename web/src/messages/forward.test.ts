import { describe, expect, test } from "vitest";
import type { ChatEntry } from "../../../src/protocol/methods/chats.ts";
import { forwardTargets, forwardToAll } from "./forward.ts";

const entry = (id: string, kind: ChatEntry["chat"]["kind"], role: "owner" | "member", title: string) =>
  ({ chat: { id, kind, title }, me: { role } }) as unknown as ChatEntry;

describe("forward to several chats", () => {
  test("targets: chats you may post in, matching the search", () => {
    const list = [entry("a", "group", "member", "Lopez Family 🏡"), entry("b", "channel", "member", "News"), entry("c", "channel", "owner", "My channel")];
    const title = (e: ChatEntry) => e.chat.title;
    expect(forwardTargets(list, "", title).map((e) => e.chat.id)).toEqual(["a", "c"]);
    expect(forwardTargets(list, "lopez", title).map((e) => e.chat.id)).toEqual(["a"]);
  });

  test("the comment goes first, then the forward, per chat; a failed chat is reported, the others still get it; a retry reuses client ids", async () => {
    const calls: string[] = [];
    const call = async (method: string, p: Record<string, unknown>) => {
      calls.push(`${method} ${p.chatId} ${p.clientId}`);
      if (p.chatId === "bad" && method === "message.forward") throw Object.assign(new Error("x"), { code: "forbidden" });
    };
    const plans = [
      { chatId: "a", commentClientId: "a1", forwardClientId: "a2" },
      { chatId: "bad", commentClientId: "b1", forwardClientId: "b2" },
      { chatId: "c", commentClientId: "c1", forwardClientId: "c2" },
    ];
    const r = await forwardToAll(plans, { chatId: "o", messageId: "m" }, "look at this", call);
    expect(r.failed).toEqual(["bad"]);
    expect(calls).toEqual(["message.send a a1", "message.forward a a2", "message.send bad b1", "message.forward bad b2", "message.send c c1", "message.forward c c2"]);
    calls.length = 0;
    await forwardToAll([plans[0]!], { chatId: "o", messageId: "m" }, "  ", call);
    expect(calls).toEqual(["message.forward a a2"]); // no comment: the forward alone
  });
});
