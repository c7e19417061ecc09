import { expect, test } from "bun:test";
import { limits } from "../limits.ts";
import { presenceView } from "./visibility.ts";

const facts = (lastSeen: "everyone" | "contacts" | "nobody", live: "online" | "away" | "offline", lastSeenAt?: number, dnd = false) => ({
  userId: "u",
  live,
  lastSeenAt,
  privacy: { lastSeen, readReceipts: "everyone" as const, groupAdd: "everyone" as const },
  dnd,
});

test("do-not-disturb shows as dnd to those who may see the live state, never when offline or hidden", () => {
  expect(presenceView(facts("everyone", "online", undefined, true), "stranger", 0)).toEqual({ userId: "u", state: "dnd" });
  expect(presenceView(facts("everyone", "away", undefined, true), "contact", 0)).toEqual({ userId: "u", state: "dnd" });
  expect(presenceView(facts("everyone", "offline", 5, true), "contact", 9)).toEqual({ userId: "u", state: "offline", lastSeenAt: 5 });
  expect(presenceView(facts("nobody", "online", undefined, true), "contact", 0)).toEqual({ userId: "u", state: "recently" });
});

test("everyone: live state and last seen for anybody", () => {
  expect(presenceView(facts("everyone", "away"), "stranger", 0)).toEqual({ userId: "u", state: "away" });
  expect(presenceView(facts("everyone", "offline", 5), "stranger", 9)).toEqual({ userId: "u", state: "offline", lastSeenAt: 5 });
});

test("contacts: exact for people sharing a chat, coarse for strangers", () => {
  expect(presenceView(facts("contacts", "online"), "contact", 0).state).toBe("online");
  expect(presenceView(facts("contacts", "online"), "stranger", 0).state).toBe("recently");
});

test("nobody: coarse for everyone but yourself; the coarse state does not flap", () => {
  const now = 10 * limits.presenceRecentlyMs;
  expect(presenceView(facts("nobody", "online"), "contact", now)).toEqual({ userId: "u", state: "recently" });
  expect(presenceView(facts("nobody", "offline", now - 1000), "contact", now)).toEqual({ userId: "u", state: "recently" });
  expect(presenceView(facts("nobody", "offline", now - limits.presenceRecentlyMs - 1), "contact", now).state).toBe("long_ago");
  expect(presenceView(facts("nobody", "offline"), "contact", now).state).toBe("long_ago");
  expect(presenceView(facts("nobody", "away"), "self", now).state).toBe("away");
});
