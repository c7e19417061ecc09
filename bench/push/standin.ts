// The push-service stand-in as its own process for `bun run bench push`, so its work
// (TLS, verification) is not counted as the sender's CPU. Prints one JSON line:
// { origin, caFile, subscriptions }, then serves until killed.
import { startPushService } from "../../tests/support/push.ts";

const count = Number(process.argv[2] ?? 1000);
const ps = await startPushService({ checkEvery: 100 });
const subscriptions = [];
for (let i = 0; i < count; i++) subscriptions.push(await ps.subscription());
process.stdout.write(`${JSON.stringify({ origin: ps.origin, caFile: ps.caFile, subscriptions })}\n`);
