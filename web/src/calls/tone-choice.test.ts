import { describe, expect, test } from "vitest";
import { emptyCalls } from "./state.ts";
import { toneFor } from "./tone-choice.ts";

const live = (chatId: string, ringing: boolean) => ({ callId: "k1", chatId, startedBy: "me", startedAt: 0, ringing, participantIds: ["me"] }) as never;
const p = (userId: string) => ({ userId, muted: false, deafened: false, camera: false, screen: false, joinedAt: 0 }) as never;

describe("which tone plays", () => {
  test("an incoming call rings unless its chat is muted", () => {
    const s = emptyCalls();
    s.incoming = { callId: "k1", chatId: "c1", from: "ann" };
    expect(toneFor(s, () => false)).toBe("ring");
    expect(toneFor(s, (c) => c === "c1")).toBeNull();
    // do-not-disturb (or a chat set to "nothing") silences the ring, not the ringback
    expect(toneFor(s, () => false, () => false)).toBeNull();
  });

  test("our own call plays ringback until the other joins; groups and muted chats never", () => {
    const s = emptyCalls();
    s.current = { chatId: "c1", callId: "k1", phase: "connected", participants: { me: p("me") }, producers: {}, speaker: null };
    s.live.c1 = live("c1", true);
    expect(toneFor(s, () => false)).toBe("ringback");
    expect(toneFor(s, () => true)).toBeNull();
    s.current.participants.ben = p("ben");
    expect(toneFor(s, () => false)).toBeNull();
    s.live.c1 = live("c1", false);
    delete s.current.participants.ben;
    expect(toneFor(s, () => false)).toBeNull();
  });

  test("nothing plays without a call", () => expect(toneFor(emptyCalls(), () => false)).toBeNull());
});
