// Child process for tests/mdns.test.ts: announces <name> on loopback for <ms> milliseconds.
import { createLogger } from "../src/log/logger.ts";
import { startMdns } from "../src/net/mdns.ts";

const [name = "hearth", port = "8443", address = "127.0.0.1", ms = "5000"] = Bun.argv.slice(2);
const log = createLogger({ level: "error", format: "json" });
const announcer = startMdns({ name, port: Number(port), addresses: () => [address], interface: "127.0.0.1", log });
await announcer.ready;
await Bun.sleep(Number(ms));
await announcer.stop();
