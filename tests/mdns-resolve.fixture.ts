// Child process for tests/mdns.test.ts: resolves one <name>.local A record over multicast
// DNS on the given interface and prints the address (exit 1 if none within 3 s).
import multicastDns, { type MdnsPacket } from "multicast-dns";

const [name = "", iface = "127.0.0.1"] = Bun.argv.slice(2);
const m = multicastDns({ interface: iface, bind: "0.0.0.0", loopback: true });
const timer = setTimeout(() => process.exit(1), 3000);
m.on("response", (p: MdnsPacket) => {
  const hit = (p.answers ?? []).find((r) => r.name === name && r.type === "A" && (r.ttl ?? 1) > 0);
  if (!hit) return;
  process.stdout.write(`${String(hit.data)}\n`);
  clearTimeout(timer);
  m.destroy(() => process.exit(0));
});
m.on("ready", () => m.query([{ name, type: "A" }]));
