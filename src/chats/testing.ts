// Test support for chats and messages on the shared e2e harness (tests/harness.ts): a
// real server with the chats module, people with connected clients that record every
// event they receive, and a barrier that proves an event did NOT reach someone.
import { connectClient, createTestUser, startTestServer, until } from "../../tests/harness.ts";
import type { HearthClient } from "../client/index.ts";
import type { ClientError } from "../client/errors.ts";
import type { WireEvent } from "../protocol/frames.ts";
import type { ChatEntry } from "../protocol/methods/chats.ts";
import { chatsModule } from "./module.ts";

export interface Person {
  id: string;
  username: string;
  client: HearthClient;
  events: WireEvent[];
  snapshot: { chats: ChatEntry[]; hasMore: boolean };
  call<R = any>(method: string, params: unknown): Promise<R>;
  /** The error code of a call that must fail ("ok" if it succeeded). */
  code(method: string, params: unknown): Promise<string>;
  /** Waits for an event of `type` matching `pred`, received after `from` (an index into events). */
  event(type: string, pred?: (data: any) => boolean, from?: number): Promise<any>;
  /** Resolves once every event committed for this person so far has arrived. */
  barrier(): Promise<void>;
  /** Events of `type` received so far (data only). */
  seen(type: string): any[];
}

let nameSeq = 0;

export async function startChatsServer() {
  // Tests drive many requests per person quickly; rate limiting has its own tests.
  const fast = { requestsPerSecondPerConnection: 1_000_000, requestsPerSecondPerUser: 1_000_000, requestBurst: 1_000_000 };
  const t = await startTestServer({ modules: (deps) => [chatsModule(deps)], wsLimits: fast });
  const people: Person[] = [];
  return {
    t,
    deps: t.deps,
    async person(prefix = "p"): Promise<Person> {
      const username = `${prefix}${process.pid % 1000}n${++nameSeq}`;
      const tokens = await createTestUser(t, username);
      const client = await connectClient(t, tokens);
      const p = personOf(tokens.userId, username, client);
      const welcome = await client.connect(); // already open: the welcome it got
      p.snapshot = welcome.snapshot?.chats as Person["snapshot"];
      people.push(p);
      return p;
    },
    async stop() {
      for (const p of people) p.client.close();
      await t.stop();
    },
  };
}

function personOf(id: string, username: string, client: HearthClient): Person {
  const events: WireEvent[] = [];
  client.on("*", (_d, e) => void events.push(e));
  let saved: string | null = null;
  let muted = false;
  const p: Person = {
    id,
    username,
    client,
    events,
    snapshot: { chats: [], hasMore: false },
    call: (method, params) => client.call(method, params) as Promise<any>,
    async code(method, params) {
      try {
        await client.call(method, params);
        return "ok";
      } catch (e) {
        return (e as ClientError).code;
      }
    },
    async event(type, pred = () => true, from = 0) {
      let found: WireEvent | undefined;
      await until(() => (found = events.slice(from).find((e) => e.type === type && pred(e.data))) !== undefined, 10_000, `${username} gets ${type}`);
      return found!.data;
    },
    // A private change only this person hears of; events arrive in id order, so once it
    // is here every earlier event for this person is here too.
    async barrier() {
      saved ??= ((await client.call("chat.create", { kind: "saved" })) as { entry: ChatEntry }).entry.chat.id;
      muted = !muted;
      const from = events.length;
      await client.call("chat.mute", { chatId: saved, muted });
      const want = muted;
      await p.event("chat.member_updated", (d) => d.chatId === saved && d.me?.muted === want, from);
    },
    seen: (type) => events.filter((e) => e.type === type).map((e) => e.data),
  };
  return p;
}
