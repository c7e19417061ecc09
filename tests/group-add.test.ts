// Adding people to groups and channels through a real server: a block and the "who may
// add me to groups" privacy setting (everyone / contacts / nobody) are both honoured at
// chat.create and member.add, inside the write transaction; a refusal names who could
// not be added but not why; joining by link stays the joiner's own choice.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type Person, startChatsServer } from "./support/chats.ts";
import { presenceModule } from "../src/presence/module.ts";
import { createLocalRegistry } from "../src/presence/registry.ts";
import type { ClientError } from "../src/client/errors.ts";

setDefaultTimeout(30_000);

let s: Awaited<ReturnType<typeof startChatsServer>>;
let n = 0;
const cid = () => `g${++n}`;

beforeAll(async () => {
  s = await startChatsServer({ modules: (deps) => [presenceModule(deps, { registry: createLocalRegistry() })] }); // privacy.* live there
});
afterAll(() => s.stop());

async function refusal(p: Person, method: string, params: unknown) {
  try {
    await p.request(method, params);
  } catch (e) {
    const err = e as ClientError;
    return { code: err.code, message: err.message, data: err.data };
  }
  throw new Error(`${method} succeeded`);
}

const newGroup = async (owner: Person, kind = "group", memberIds: string[] = []) =>
  (await owner.request("chat.create", { kind, clientId: cid(), title: "Club", memberIds })).entry.chat.id as string;

describe("adding someone to a group or channel", () => {
  test("someone who blocked you cannot be added, at creation or later; nothing is created or told", async () => {
    const [ann, ben, cat] = await Promise.all([s.person("ann"), s.person("ben"), s.person("cat")]);
    await ben.request("user.block", { userId: ann.id });
    for (const kind of ["group", "channel"]) {
      const r = await refusal(ann, "chat.create", { kind, clientId: cid(), title: "Trap", memberIds: [cat.id, ben.id] });
      expect(r).toEqual({ code: "privacy_restricted", message: "Some of these people cannot be added by you", data: { userIds: [ben.id] } });
    }
    const chatId = await newGroup(ann, "group", [cat.id]);
    expect((await refusal(ann, "member.add", { chatId, userIds: [ben.id] })).data).toEqual({ userIds: [ben.id] });
    await Promise.all([ben.barrier(), cat.barrier()]);
    expect(ben.seen("chat.created").filter((d) => d.entry.chat.kind !== "saved")).toEqual([]); // saved: the barrier's
    expect(ben.seen("chat.joined")).toEqual([]);
    expect(ben.seen("chat.member_added")).toEqual([]);
    expect(cat.seen("chat.joined").map((d) => d.entry.chat.title)).toEqual(["Club"]); // only the chat without ben
    // Another member may add ben (the block is between ann and ben), and ben may add ann.
    await ann.request("member.promote", { chatId, userId: cat.id });
    expect(await cat.code("member.add", { chatId, userIds: [ben.id] })).toBe("ok");
    expect(await ben.code("chat.create", { kind: "group", clientId: cid(), title: "Mine", memberIds: [ann.id] })).toBe("ok");
    await ben.request("user.unblock", { userId: ann.id });
    expect(await ann.code("chat.create", { kind: "group", clientId: cid(), title: "Now", memberIds: [ben.id] })).toBe("ok");
  });

  test("the privacy setting: everyone (default), contacts (people you share a direct chat or group with), nobody", async () => {
    const [dan, eve, fay, gus] = await Promise.all([s.person("dan"), s.person("eve"), s.person("fay"), s.person("gus")]);
    expect(await dan.request("privacy.get", {})).toEqual({ lastSeen: "everyone", readReceipts: "everyone", groupAdd: "everyone" });
    await eve.request("chat.create", { kind: "direct", userId: dan.id }); // eve is a contact of dan
    await newGroup(fay, "channel", [dan.id]); // a channel does not make fay one
    expect(await dan.request("privacy.set", { groupAdd: "contacts" })).toEqual({ lastSeen: "everyone", readReceipts: "everyone", groupAdd: "contacts" });
    expect(await dan.code("privacy.set", { groupAdd: "friends" })).toBe("invalid_field");
    expect(await eve.code("chat.create", { kind: "group", clientId: cid(), title: "Ok", memberIds: [dan.id] })).toBe("ok");
    expect((await refusal(fay, "chat.create", { kind: "group", clientId: cid(), title: "No", memberIds: [dan.id, gus.id] })).data).toEqual({ userIds: [dan.id] });
    await dan.request("privacy.set", { groupAdd: "nobody" });
    const chatId = await newGroup(eve);
    const byEve = await refusal(eve, "member.add", { chatId, userIds: [dan.id] });
    // The same answer as for a block: the refused person's reason is not told.
    expect(byEve).toEqual({ code: "privacy_restricted", message: "Some of these people cannot be added by you", data: { userIds: [dan.id] } });
    expect(dan.seen("chat.member_added")).toEqual([]);
    await dan.request("privacy.set", { groupAdd: "everyone" });
    expect(await fay.code("member.add", { chatId: await newGroup(fay), userIds: [dan.id] })).toBe("ok");
  });

  test("joining by link is the joiner's choice: neither a block nor the setting stands in the way", async () => {
    const [hal, ivy] = await Promise.all([s.person("hal"), s.person("ivy")]);
    await ivy.request("user.block", { userId: hal.id });
    await ivy.request("privacy.set", { groupAdd: "nobody" });
    const chatId = await newGroup(hal);
    const { code } = await hal.request("chat.link_create", { chatId, clientId: cid() });
    expect((await ivy.request("chat.join_by_link", { code })).joined).toBe(true);
  });
});
