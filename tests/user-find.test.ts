// user.find: how the web client starts a direct chat by name. Exact username, case-insensitive;
// disabled accounts and unknown names are the same not_found.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { limits } from "../src/limits.ts";
import { methods } from "../src/protocol/methods/index.ts";
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

test("user.get_many: the profiles user.get gives, each once, unknown ids left out; at most limits.userGetManyMax ids", async () => {
  const ann = await createTestUser(t, "ann_many");
  const bob = await createTestUser(t, "bob_many");
  const c = await connectClient(t, bob);
  const { users } = await c.request("user.get_many", { userIds: [ann.userId, bob.userId, ann.userId, "01JUNKNOWN000000000000000"] });
  expect(users.map((u) => u.id).sort()).toEqual([ann.userId, bob.userId].sort());
  expect(users.find((u) => u.id === ann.userId)).toEqual(await c.request("user.get", { userId: ann.userId }));
  const over = Array.from({ length: limits.userGetManyMax + 1 }, () => ann.userId);
  await expect(c.request("user.get_many", { userIds: over })).rejects.toMatchObject({ code: "invalid_field", data: { field: "userIds" } });
  await expect(c.request("user.get_many", { userIds: [] })).rejects.toMatchObject({ code: "invalid_field", data: { field: "userIds" } });
  expect(methods["user.get_many"].params.properties.userIds.maxItems).toBe(limits.userGetManyMax); // the wire bound
  c.close();
});
