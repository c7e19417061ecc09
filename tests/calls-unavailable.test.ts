// A media port someone else holds: calls are unavailable, and members are told so in plain
// words while the log and admins get the raw reason. Real server, real mediasoup worker.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { freeRtcPort, startCallsServer } from "./support/calls-server.ts";
import type { ClientError } from "../src/client/index.ts";

setDefaultTimeout(30_000);

let held: { close(): void };
let s: Awaited<ReturnType<typeof startCallsServer>>;
const logLines: string[] = [];

beforeAll(async () => {
  const port = await freeRtcPort();
  held = await Bun.udpSocket({ hostname: "0.0.0.0", port });
  s = await startCallsServer({ set: [`calls.rtcPort=${port}`], logLines });
});
afterAll(async () => {
  await s.stop();
  held.close();
});

const joinError = async (p: { client: { request: (m: never, x: never) => Promise<unknown> } }, chatId: string) => {
  try {
    await p.client.request("call.join" as never, { chatId } as never);
    return null;
  } catch (e) {
    return e as ClientError & { data?: { detail?: string } };
  }
};

test("a member sees a generic unavailable; the log and an admin see why; the rest of the server works", async () => {
  const [ann, ben] = await Promise.all([s.person("ann"), s.person("ben")]);
  const chatId = (await ann.request("chat.create", { kind: "direct", userId: ben.id })).entry.chat.id as string;

  const member = await joinError(ann, chatId);
  expect(member?.code).toBe("unavailable");
  expect(member?.message).toBe("Calls are unavailable on this server right now");
  expect(member?.data?.detail).toBeUndefined();
  expect(JSON.stringify(member)).not.toContain("bind");

  const line = logLines.find((l) => l.includes("calls unavailable"));
  expect(line).toBeDefined();
  expect(line).toContain(String(s.calls.deps.config.calls.rtcPort));
  expect(line!.toLowerCase()).toContain("bind");

  await s.calls.deps.storage.users.setRole(ben.id, "admin");
  const admin = await joinError(ben, chatId);
  expect(admin?.code).toBe("unavailable");
  expect(admin?.message).toBe("Calls are unavailable on this server right now");
  expect(admin?.data?.detail?.toLowerCase()).toContain("bind");

  // Nobody was rung and nothing else broke.
  expect(ben.seen("call.rang")).toEqual([]);
  expect((await ann.request("message.send", { chatId, clientId: "m1", text: "calls are down, text works" })).message).toBeDefined();
});
