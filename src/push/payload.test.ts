import { expect, test } from "bun:test";
import { limits } from "../limits.ts";
import { callPayload, messagePayload, topicFor } from "./payload.ts";

const facts = { chatId: "01JCHAT0000000000000000000", chatTitle: "Family 👪", senderName: "Ann", senderId: "u1", messageId: "m1", seq: 7, text: "hi", group: true, direct: false, at: 5 };
const bytes = (x: unknown) => new TextEncoder().encode(JSON.stringify(x)).length;

test("long texts and titles are cut; the JSON stays within pushPayloadBytesMax", () => {
  const p = messagePayload({ ...facts, chatTitle: "🏡".repeat(500), senderName: "Ann", text: "😀".repeat(10_000) }, 1, false);
  expect([...p.title].length).toBe(100);
  expect([...p.body].length).toBeLessThanOrEqual(limits.pushBodyCharsMax);
  expect(p.body.endsWith("…")).toBe(true);
  expect(bytes(p)).toBeLessThanOrEqual(limits.pushPayloadBytesMax);
});

test("a group names the sender; coalesced pushes say how many; hidden content says nothing", () => {
  expect(messagePayload(facts, 1, false)).toMatchObject({ title: "Family 👪", body: "Ann: hi", count: 1, seq: 7 });
  expect(messagePayload(facts, 5, false)).toMatchObject({ body: "5 new messages", count: 5 });
  const hidden = messagePayload(facts, 3, true);
  expect(hidden).toEqual({ v: 1, kind: "message", chatId: facts.chatId, title: "Hearth", body: "", count: 3, url: `/chat/${facts.chatId}`, tag: `chat:${facts.chatId}`, at: 5 });
  expect(callPayload({ callId: "c1", chatId: "x", callerName: "Bob", at: 1 }, true)).toMatchObject({ title: "Hearth", callId: "c1", kind: "call" });
});

test("Topic: a url-safe id of at most 32 characters is used as is; anything else is hashed to 32", () => {
  expect(topicFor(facts.chatId)).toBe(facts.chatId);
  const t = topicFor("a".repeat(64));
  expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(topicFor("chat with spaces")).toMatch(/^[A-Za-z0-9_-]{32}$/);
});
