import { describe, expect, test } from "vitest";
import { canRegister, claimTokenFrom, deviceName, initialMode, inviteCodeFrom, joinCodeFrom, resetTokenFrom } from "./mode.ts";

const info = (over: Partial<{ registration: "open" | "invite" | "closed"; ownerClaimPending: boolean }> = {}) => ({
  registration: "invite" as const,
  ownerClaimPending: false,
  passwordMinLength: 10, deletionGraceMs: 604_800_000,
  ...over,
});

describe("auth mode", () => {
  test("a fresh server asks for the owner claim, with the token from the link", () => {
    const mode = initialMode(info({ ownerClaimPending: true }), new URL("http://h/claim?token=abc"));
    expect(mode).toEqual({ kind: "claim", token: "abc" });
  });

  test("claim token only counts on /claim", () => {
    expect(claimTokenFrom(new URL("http://h/claim/#xyz"))).toBe("xyz");
    expect(claimTokenFrom(new URL("http://h/other?token=abc"))).toBeNull();
  });

  test("an invite link opens registration unless it is closed", () => {
    expect(initialMode(info(), new URL("http://h/?invite=i1"))).toEqual({ kind: "register", needsInvite: true });
    expect(initialMode(info({ registration: "closed" }), new URL("http://h/?invite=i1"))).toEqual({ kind: "login" });
  });

  test("no server info (unreachable) shows login and hides registration", () => {
    expect(initialMode(null, new URL("http://h/"))).toEqual({ kind: "login" });
    expect(canRegister(null)).toBe(false);
    expect(canRegister(info({ registration: "open" }))).toBe(true);
  });

  test("device names are readable and bounded", () => {
    expect(deviceName("Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0")).toBe("Firefox on Linux");
    expect(deviceName("")).toBe("Browser");
    expect(deviceName("x".repeat(500)).length).toBeLessThanOrEqual(100);
  });
});

test("invite and chat links: /invite#code registers with the code, /join#code is a chat link", () => {
  const info = { registration: "invite" as const, ownerClaimPending: false, passwordMinLength: 10, deletionGraceMs: 604_800_000 };
  expect(inviteCodeFrom(new URL("https://h.local/invite#abc"))).toBe("abc");
  expect(inviteCodeFrom(new URL("https://h.local/?invite=xyz"))).toBe("xyz");
  expect(initialMode(info, new URL("https://h.local/invite#abc"))).toEqual({ kind: "register", needsInvite: true });
  expect(joinCodeFrom(new URL("https://h.local/join#k1"))).toBe("k1");
  expect(joinCodeFrom(new URL("https://h.local/invite#k1"))).toBeNull();
});

describe("password-reset links", () => {
  test("/reset#TOKEN opens the reset form whatever the registration mode", () => {
    const url = new URL("https://192.168.1.20:8443/reset#tok-123");
    expect(resetTokenFrom(url)).toBe("tok-123");
    expect(initialMode(info({ registration: "closed" }), url)).toEqual({ kind: "reset", token: "tok-123" });
    expect(resetTokenFrom(new URL("https://h/reset"))).toBeNull();
    expect(resetTokenFrom(new URL("https://h/invite#x"))).toBeNull();
  });
});
