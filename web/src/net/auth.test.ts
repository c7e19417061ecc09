import { expect, test } from "vitest";
import type { AuthTokens } from "./http.ts";
import { sharedAuth } from "./auth.ts";

const tokens = (access: string, expiresInMs: number): AuthTokens => ({
  userId: "u1", sessionId: "s1", accessToken: access, accessExpiresAt: Date.now() + expiresInMs, refreshToken: `r-${access}`, refreshExpiresAt: Date.now() + 86_400_000,
});

test("a fresh access token is used as is", async () => {
  const auth = sharedAuth("http://127.0.0.1:9", { get: () => tokens("a1", 600_000), set: () => {} });
  expect(await auth.accessToken()).toBe("a1");
});

test("when another tab already refreshed, its tokens are used and the spent refresh token is not sent again", async () => {
  let reads = 0;
  // the first read sees the expired token; by the time the lock is held another tab stored new ones
  const store = { get: () => (reads++ === 0 ? tokens("old", -1000) : tokens("new", 600_000)), set: () => {} };
  const auth = sharedAuth("http://127.0.0.1:9", store); // nothing listens there: a request would fail
  expect(await auth.refresh()).toBe("new");
});

test("signed out (nothing stored) is an error the client does not retry", async () => {
  const auth = sharedAuth("http://127.0.0.1:9", { get: () => null, set: () => {} });
  await expect(auth.accessToken()).rejects.toMatchObject({ code: "unauthorized" });
});
