// Names people see, through a real server: display names (register over HTTP,
// profile.update over WS), device names (login) and chat titles (chat.create,
// chat.rename) refuse invisible, control and formatting characters with `invalid_field`
// naming the field — one rule (src/names.ts) — and keep emoji sequences and scripts working.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { PASSWORD, errorOf, startAccountsServer, tokensOf } from "./support/accounts.ts";
import { chatsModule } from "../src/chats/module.ts";
import type { ClientError } from "../src/client/errors.ts";
import type { HearthClient } from "../src/client/index.ts";
import { authPaths } from "../src/protocol/http.ts";

setDefaultTimeout(30_000);

let s: Awaited<ReturnType<typeof startAccountsServer>>;
let client: HearthClient;
let n = 0;

beforeAll(async () => {
  s = await startAccountsServer(["accounts.registration=open"], (deps) => [chatsModule(deps)]);
  const res = await s.post(authPaths.register, { username: "namer", password: PASSWORD, deviceName: "test" });
  client = (await s.connect(await tokensOf(res))).client;
});
afterAll(() => s.stop());

const BAD = ["\u200B", "Ann\u200BAnn", "\u3164", "ad\u200Dmin", "Ann\u200E", "x\u{E0041}\u{E0042}", "\u0301\u0301", "a\uFFFEb", "a\u2060b", "evil\u202Egnp"];
const GOOD = ["👨‍👩‍👧 family", "🏴󠁧󠁢󠁥󠁮󠁧󠁿 fan", "می\u200Cخواهم", "Zoë 🦊"];

async function wsError(method: string, params: unknown) {
  try {
    await client.request(method as never, params as never);
  } catch (e) {
    const err = e as ClientError;
    return { code: err.code, field: (err.data as { field?: string } | undefined)?.field };
  }
  return { code: "ok" };
}

describe("names", () => {
  test("register refuses an invisible display name, naming the field; nothing is created", async () => {
    for (const displayName of BAD) {
      const username = `reg${++n}`;
      const err = await errorOf(await s.post(authPaths.register, { username, password: PASSWORD, displayName, deviceName: "d" }));
      expect([err.status, err.code, err.data?.field]).toEqual([400, "invalid_field", "displayName"]);
      const login = await s.post(authPaths.login, { username, password: PASSWORD, deviceName: "d" });
      expect(login.status).toBe(401); // no account was made
    }
    const ok = await s.post(authPaths.register, { username: `reg${++n}`, password: PASSWORD, displayName: GOOD[0], deviceName: "d" });
    expect(ok.status).toBe(200);
  });

  test("device names follow the same rule at login", async () => {
    const err = await errorOf(await s.post(authPaths.login, { username: "namer", password: PASSWORD, deviceName: "\u3164" }));
    expect([err.code, err.data?.field]).toEqual(["invalid_field", "deviceName"]);
  });

  test("profile.update: each class refused with invalid_field displayName; emoji and scripts kept", async () => {
    for (const displayName of BAD) expect(await wsError("profile.update", { displayName })).toEqual({ code: "invalid_field", field: "displayName" });
    for (const displayName of GOOD) {
      const me = (await client.request("profile.update", { displayName })) as { displayName: string };
      expect(me.displayName).toBe(displayName);
    }
  });

  test("chat titles: create and rename refuse with invalid_field title; a good title stays", async () => {
    for (const title of BAD) expect(await wsError("chat.create", { kind: "group", clientId: `c${++n}`, title })).toEqual({ code: "invalid_field", field: "title" });
    const { entry } = (await client.request("chat.create", { kind: "group", clientId: `c${++n}`, title: GOOD[1]! })) as { entry: { chat: { id: string; title: string } } };
    expect(entry.chat.title).toBe(GOOD[1]!);
    for (const title of BAD) expect(await wsError("chat.rename", { chatId: entry.chat.id, title })).toEqual({ code: "invalid_field", field: "title" });
    const { chat } = (await client.request("chat.get", { chatId: entry.chat.id })) as { chat: { title: string } };
    expect(chat.title).toBe(GOOD[1]!);
  });
});
