import { expect, test } from "vitest";
import { parseStoredSession } from "./session.ts";

const tokens = { userId: "u", sessionId: "s", accessToken: "a", accessExpiresAt: 5, refreshToken: "r", refreshExpiresAt: 1000 };

test("a stored session is used until its refresh token expires", () => {
  expect(parseStoredSession(JSON.stringify(tokens), 999)).toEqual(tokens);
  expect(parseStoredSession(JSON.stringify(tokens), 1000)).toBeNull();
});

test("missing, corrupt or partial storage means signed out", () => {
  expect(parseStoredSession(null, 0)).toBeNull();
  expect(parseStoredSession("{not json", 0)).toBeNull();
  expect(parseStoredSession(JSON.stringify({ userId: "u" }), 0)).toBeNull();
});
