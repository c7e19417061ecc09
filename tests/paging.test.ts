// Every paged list takes `limit` the same way: any positive integer, capped at
// limits.pageSizeMax with `hasMore` telling the rest — never `invalid_field` for a big
// number. The catalog check makes a new list method follow the rule automatically.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { methods } from "../src/protocol/methods/index.ts";
import { PageLimitSchema } from "../src/protocol/methods/paging.ts";
import { type Person, startChatsServer } from "./support/chats.ts";
import { limits } from "../src/limits.ts";

setDefaultTimeout(60_000);

describe("the catalog", () => {
  test("every method with a `limit` param uses the one page-limit schema", () => {
    const paged = Object.entries(methods).filter(([, spec]) => "limit" in ((spec.params as { properties?: object }).properties ?? {}));
    expect(paged.length).toBeGreaterThan(4);
    for (const [name, spec] of paged) {
      const limit = (spec.params as unknown as { properties: Record<string, unknown> }).properties.limit;
      // JSON drops TypeBox's Optional marker, which the property adds around the schema.
      expect({ name, limit: JSON.parse(JSON.stringify(limit)) }).toEqual({ name, limit: JSON.parse(JSON.stringify(PageLimitSchema)) });
    }
  });
});

describe("through the server", () => {
  let s: Awaited<ReturnType<typeof startChatsServer>>;
  let ann: Person;
  let chatId: string;
  const members: Person[] = [];
  const over = limits.pageSizeMax * 50;

  beforeAll(async () => {
    s = await startChatsServer();
    ann = await s.person("ann");
    // One member more than a page, so a capped page must say hasMore.
    const ids: string[] = [];
    for (let i = 0; i < limits.pageSizeMax; i++) ids.push((await s.person("m")).id);
    members.push(ann);
    const created = await ann.request("chat.create", { kind: "group", clientId: "paging", title: "Big", memberIds: ids.slice(0, limits.membersPerRequestMax) });
    chatId = created.entry.chat.id;
    for (let i = limits.membersPerRequestMax; i < ids.length; i += limits.membersPerRequestMax) {
      await ann.request("member.add", { chatId, userIds: ids.slice(i, i + limits.membersPerRequestMax) });
    }
    for (let i = 0; i < limits.pageSizeMax + 1; i++) await ann.request("message.send", { chatId, clientId: `m${i}`, text: `message ${i}` });
  });
  afterAll(() => s.stop());

  test("member.list with a limit far above the page maximum gets a full page and hasMore", async () => {
    const r = await ann.request("member.list", { chatId, limit: over });
    expect(r.members.length).toBe(limits.pageSizeMax);
    expect(r.hasMore).toBe(true);
  });

  test("message.list, chat.list, user.block_list and call.history take the same limit", async () => {
    const m = await ann.request("message.list", { chatId, anchor: "latest", direction: "before", limit: over });
    expect(m.messages.length).toBe(limits.pageSizeMax);
    expect(m.hasBefore).toBe(true);
    expect((await ann.request("chat.list", { limit: over })).chats.length).toBe(1);
    expect((await ann.request("user.block_list", { limit: over })).users).toEqual([]);
  });

  test("a limit of 0 or a fraction is still invalid", async () => {
    expect(await ann.code("member.list", { chatId, limit: 0 })).toBe("invalid_field");
    expect(await ann.code("member.list", { chatId, limit: 1.5 })).toBe("invalid_field");
  });
});
