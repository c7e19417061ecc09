// End-to-end support for call tests: a real server (tests/support/harness.ts) with the chats
// and calls modules, the Calls service exposed so tests can attach PlainTransport media
// to the very routers the signaling created, and people with connected clients that
// record every event.
import { connectClient, createTestUser, type Observed, observe, startTestServer } from "./harness.ts";
import { chatsModule } from "../../src/chats/module.ts";
import type { HearthClient } from "../../src/client/index.ts";
import { Calls, type CallsOptions } from "../../src/calls/calls.ts";
import { callsModule } from "../../src/calls/module.ts";

export interface CallPerson extends Observed {
  id: string;
}

let nameSeq = 0;

/** A port free for both UDP and TCP right now (the WebRtcServer needs the same one for both). */
export async function freeRtcPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    try {
      const tcp = Bun.listen({ hostname: "0.0.0.0", port, socket: { data() {} } });
      tcp.stop(true);
      const udp = await Bun.udpSocket({ hostname: "0.0.0.0", port });
      udp.close();
      return port;
    } catch {
      // taken: try another
    }
  }
  throw new Error("no free UDP+TCP port found");
}

export async function startCallsServer(opts: { set?: string[]; calls?: CallsOptions; logLines?: string[] } = {}) {
  const fast = { requestsPerSecondPerConnection: 1_000_000, requestsPerSecondPerUser: 1_000_000, requestBurst: 1_000_000 };
  let calls: Calls | null = null;
  const t = await startTestServer({
    set: ["calls.workers=1", `calls.rtcPort=${await freeRtcPort()}`, "calls.announcedAddress=127.0.0.1", ...(opts.set ?? [])],
    modules: (deps) => {
      calls = new Calls(deps, opts.calls);
      return [chatsModule(deps), callsModule(deps, { calls })];
    },
    wsLimits: fast,
    logLines: opts.logLines,
  });
  const people: CallPerson[] = [];
  return {
    t,
    calls: calls! as Calls,
    async person(prefix = "p"): Promise<CallPerson> {
      const tokens = await createTestUser(t, `${prefix}${process.pid % 1000}c${++nameSeq}`);
      const p = personOf(tokens.userId, await connectClient(t, tokens));
      people.push(p);
      return p;
    },
    async stop() {
      for (const p of people) p.client.close();
      await t.stop();
    },
  };
}

function personOf(id: string, client: HearthClient): CallPerson {
  return { id, ...observe(client, id) };
}
