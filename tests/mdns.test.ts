// mDNS/DNS-SD: the announcer answers real multicast queries from a second socket and from
// a separate process, on the loopback interface only (no traffic leaves this machine);
// and Avahi (avahi-browse/avahi-resolve) sees it inside a private network namespace with
// a private D-Bus, where avahi-daemon can use loopback (skipped without those tools/rights).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import multicastDns, { type MdnsPacket, type MdnsRecord } from "multicast-dns";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../src/log/logger.ts";
import { answer, records, SERVICE_TYPE, startMdns, type Announcer } from "../src/net/mdns.ts";
import { loadConfig } from "../src/config/load.ts";
import { startAnnouncer } from "../src/net/discovery.ts";

const LOOP = "127.0.0.1";
const NAME = `hearth-test-${process.pid}`;
const quiet = createLogger({ level: "error", format: "json", stream: { write: () => {} } });
let addresses = ["10.1.2.3", "fd00::2"];

/** Sends one query from a fresh socket and collects every record of responses within `ms`. */
async function ask(name: string, type: string, ms = 1500): Promise<MdnsRecord[]> {
  const m = multicastDns({ interface: LOOP, bind: "0.0.0.0", loopback: true });
  const seen: MdnsRecord[] = [];
  m.on("response", (p: MdnsPacket) => seen.push(...(p.answers ?? []), ...(p.additionals ?? [])));
  await new Promise<void>((r) => m.on("ready", () => r()));
  m.query([{ name, type }]);
  await Bun.sleep(ms); // a bounded listening window, not a timing assertion
  await new Promise<void>((r) => m.destroy(() => r()));
  return seen;
}

describe("records", () => {
  const r = records({ name: "hearth", port: 8443, path: "/" }, ["192.168.1.20", "fd00::2"], 120);
  test("PTR for the service type, with SRV, TXT and addresses as additionals", () => {
    const a = answer({ name: SERVICE_TYPE, type: "PTR" }, r)!;
    expect(a.answers).toEqual([{ name: SERVICE_TYPE, type: "PTR", ttl: 120, data: "hearth._https._tcp.local" }]);
    expect(a.additionals.map((x) => x.type)).toEqual(["SRV", "TXT", "A", "AAAA"]);
    expect(a.additionals[0]!.data).toEqual({ port: 8443, weight: 0, priority: 0, target: "hearth.local" });
  });
  test("host lookups by type; foreign names get nothing", () => {
    expect(answer({ name: "HEARTH.local", type: "A" }, r)!.answers.map((x) => x.data)).toEqual(["192.168.1.20"]);
    expect(answer({ name: "hearth.local", type: "AAAA" }, r)!.answers.map((x) => x.data)).toEqual(["fd00::2"]);
    expect(answer({ name: "other.local", type: "A" }, r)).toBeNull();
    expect(answer({ name: "hearth._https._tcp.local", type: "TXT" }, r)!.answers[0]!.data).toEqual(["path=/"]);
  });
});

describe("turning it off", () => {
  // A LAN-bound server with HTTPS would announce; the switch alone must stop that.
  test("mdns.enabled = false announces nothing; so does a loopback-only server", async () => {
    const lan = { data: tmpdir(), host: "0.0.0.0", set: ["mdns.enabled=false"] };
    const off = await startAnnouncer(loadConfig({ flags: lan }), quiet, { httpsUrl: "https://0.0.0.0:8443" });
    const loop = await startAnnouncer(loadConfig({ flags: { data: tmpdir(), host: LOOP } }), quiet, { httpsUrl: `https://${LOOP}:8443` });
    expect([off, loop]).toEqual([null, null]);
  });
});

describe("a running announcer on loopback", () => {
  let announcer: Announcer;
  beforeAll(async () => {
    announcer = startMdns({ name: NAME, port: 8443, addresses: () => addresses, interface: LOOP, log: quiet });
    await announcer.ready;
  });
  afterAll(() => announcer?.stop());

  test("a second socket browsing _https._tcp finds the instance, its port and addresses", async () => {
    const seen = await ask(SERVICE_TYPE, "PTR");
    expect(seen.some((r) => r.type === "PTR" && r.data === `${NAME}.${SERVICE_TYPE}`)).toBe(true);
    const srv = seen.find((r) => r.type === "SRV" && r.name === `${NAME}.${SERVICE_TYPE}`);
    expect(srv?.data).toMatchObject({ port: 8443, target: `${NAME}.local` });
    expect([...new Set(seen.filter((r) => r.name === `${NAME}.local`).map((r) => r.data))]).toEqual(["10.1.2.3", "fd00::2"]); // the start-up announcement may repeat them
  });

  test("a separate process resolves <name>.local; a changed address is answered without restart", async () => {
    addresses = ["10.9.9.9"];
    const script = join(import.meta.dir, "mdns-resolve.fixture.ts");
    const proc = Bun.spawn([process.execPath, script, `${NAME}.local`, LOOP], { stdout: "pipe", stderr: "inherit" });
    const out = await new Response(proc.stdout).text();
    expect(await proc.exited).toBe(0);
    expect(out.trim()).toBe("10.9.9.9");
  });

  test("on stop it says goodbye (TTL 0) and answers no more", async () => {
    const watcher = multicastDns({ interface: LOOP, bind: "0.0.0.0", loopback: true });
    const goodbyes: MdnsRecord[] = [];
    watcher.on("response", (p: MdnsPacket) => goodbyes.push(...(p.answers ?? []).filter((r) => r.ttl === 0 && `${r.name} ${String(r.data)}`.includes(NAME))));
    await new Promise<void>((r) => watcher.on("ready", () => r()));
    await announcer.stop();
    await Bun.sleep(300); // let the goodbye packet arrive (bounded wait)
    await new Promise<void>((r) => watcher.destroy(() => r()));
    expect(goodbyes.map((r) => r.type).sort()).toEqual(["A", "PTR", "SRV", "TXT"]);
    expect((await ask(`${NAME}.local`, "A", 800)).filter((r) => r.name === `${NAME}.local`)).toEqual([]);
  });
});

const avahiTools = ["unshare", "dbus-daemon", "avahi-daemon", "avahi-browse", "avahi-resolve", "ip"].every((t) => Bun.which(t) !== null);

/** Runs avahi-daemon, our announcer (a child process) and the avahi clients in a fresh network namespace. */
function avahiScript(dir: string, name: string): string {
  const dbusConf = readFileSync("/usr/share/dbus-1/system.conf", "utf8")
    .replace(/<listen>.*<\/listen>/, `<listen>unix:path=${dir}/bus</listen>`)
    .replace(/<pidfile>.*<\/pidfile>|<user>.*<\/user>/g, "")
    .replace("<includedir>system.d</includedir>", "<includedir>/usr/share/dbus-1/system.d</includedir>");
  writeFileSync(join(dir, "dbus.conf"), dbusConf);
  writeFileSync(join(dir, "avahi.conf"), "[server]\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces=lo\nenable-dbus=yes\n[wide-area]\nenable-wide-area=no\n[publish]\ndisable-publishing=yes\n");
  const fixture = join(import.meta.dir, "mdns-announce.fixture.ts");
  return [
    "ip link set lo up && ip link set lo multicast on",
    `export DBUS_SYSTEM_BUS_ADDRESS=unix:path=${dir}/bus`,
    `dbus-daemon --config-file=${dir}/dbus.conf --fork --print-pid > ${dir}/dbus.pid`,
    `avahi-daemon --no-chroot --no-drop-root --no-rlimits -f ${dir}/avahi.conf -D`,
    `${process.execPath} ${fixture} ${name} 8443 127.0.0.1 6000 &`,
    "sleep 1.5",
    "timeout 5 avahi-browse -rtp _https._tcp",
    `timeout 5 avahi-resolve -4 -n ${name}.local`,
    "wait",
    `avahi-daemon -k -f ${dir}/avahi.conf || true`,
    `kill $(cat ${dir}/dbus.pid) || true`,
  ].join("\n");
}

// In CI (CI=true) the tools are installed by setup: a missing tool fails there instead of skipping.
describe.skipIf((!avahiTools || process.getuid?.() !== 0) && !process.env.CI)("Avahi sees the announcement (private network namespace)", () => {
  test("avahi-browse -rt _https._tcp resolves the instance; avahi-resolve finds <name>.local", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hearth-avahi-"));
    const name = `hearth-avahi-${process.pid}`;
    const proc = Bun.spawn(["unshare", "-n", "bash", "-c", avahiScript(dir, name)], { stdout: "pipe", stderr: "pipe" });
    const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
    await proc.exited;
    expect(out, err).toContain(`=;lo;IPv4;${name};Secure Web Site;local;${name}.local;127.0.0.1;8443;"path=/"`);
    expect(out).toContain(`${name}.local\t127.0.0.1`);
  }, 30_000);
});
