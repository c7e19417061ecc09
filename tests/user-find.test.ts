// user.find: how the web client starts a direct chat by name. Exact username, case-insensitive;
// disabled accounts and unknown names are the same not_found.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { connectClient, createTestUser, startTestServer, type TestServer } from "./support/harness.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

test("finds a user by exact username in any case, not by prefix", async () => {
  const ann = await createTestUser(t, "Ann_Find");
  const bob = await createTestUser(t, "bob_find");
  const c = await connectClient(t, bob);
  const found = await c.request("user.find", { username: "ann_find" });
  expect(found.id).toBe(ann.userId);
  expect(found.username).toBe("Ann_Find");
  expect(Object.keys(found).sort()).toEqual(["bio", "createdAt", "displayName", "id", "role", "username"]);
  await expect(c.request("user.find", { username: "ann" })).rejects.toMatchObject({ code: "not_found" });
  c.close();
});

test("a disabled account is not found", async () => {
  const gone = await createTestUser(t, "gone_find");
  const asker = await createTestUser(t, "asker_find");
  await t.deps.storage.users.setDisabled(gone.userId, true);
  const c = await connectClient(t, asker);
  await expect(c.request("user.find", { username: "gone_find" })).rejects.toMatchObject({ code: "not_found" });
  c.close();
});
