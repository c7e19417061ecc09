// install.sh into a DESTDIR staging tree (no user, no systemctl), run twice, then
// --uninstall and --purge; and `systemd-analyze verify` on the installed unit.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config/load.ts";

const repo = join(import.meta.dir, "..");
let base: string;
let destdir: string;
let fakeBinary: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "hearth-install-"));
  destdir = join(base, "root");
  // install.sh only copies the binary; a stand-in keeps this test independent of build.ts.
  fakeBinary = join(base, "hearth-linux-x64");
  writeFileSync(fakeBinary, "#!/bin/sh\necho hearth\n");
  chmodSync(fakeBinary, 0o755);
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

function install(...args: string[]): { code: number; out: string; err: string } {
  const proc = Bun.spawnSync(["sh", join(repo, "install.sh"), ...args], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", DESTDIR: destdir } });
  return { code: proc.exitCode, out: proc.stdout.toString(), err: proc.stderr.toString() };
}

const at = (p: string) => join(destdir, p);
const mode = (p: string) => statSync(at(p)).mode & 0o777;

test("installs binary, unit, config and data dir with their modes", () => {
  const r = install(fakeBinary);
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  expect(mode("usr/local/bin/hearth")).toBe(0o755);
  expect(mode("var/lib/hearth")).toBe(0o750);
  expect(mode("etc/hearth/hearth.toml")).toBe(0o640);
  expect(mode("etc/systemd/system/hearth.service")).toBe(0o644);
  expect(readFileSync(at("etc/systemd/system/hearth.service"), "utf8")).toContain("ExecStart=/usr/local/bin/hearth serve --config /etc/hearth/hearth.toml");
});

test("the sample config is valid for the config loader and points at /var/lib/hearth", () => {
  const path = at("etc/hearth/hearth.toml");
  const config = loadConfig({ file: { path, text: readFileSync(path, "utf8") } });
  expect(config.data.dir).toBe("/var/lib/hearth");
});

test("running again keeps an edited config and data", () => {
  writeFileSync(at("etc/hearth/hearth.toml"), '[data]\ndir = "/srv/hearth"\n');
  writeFileSync(at("var/lib/hearth/hearth.db"), "precious");
  const r = install(fakeBinary);
  expect(r.code).toBe(0);
  expect(readFileSync(at("etc/hearth/hearth.toml"), "utf8")).toContain("/srv/hearth");
  expect(readFileSync(at("var/lib/hearth/hearth.db"), "utf8")).toBe("precious");
});

test("--prefix installs the binary elsewhere and the unit follows it", () => {
  const r = install("--prefix", "/opt/hearth", fakeBinary);
  expect(r.code).toBe(0);
  expect(existsSync(at("opt/hearth/bin/hearth"))).toBe(true);
  expect(readFileSync(at("etc/systemd/system/hearth.service"), "utf8")).toContain("ExecStart=/opt/hearth/bin/hearth serve");
  install(fakeBinary); // back to the default for the tests below
});

test("systemd-analyze verify accepts the unit", () => {
  // verify checks that ExecStart's binary exists and is executable, so a copy of the
  // installed unit points at the staged binary; the file must keep the name hearth.service.
  const dir = join(base, "verify");
  mkdirSync(dir, { recursive: true });
  const unit = readFileSync(at("etc/systemd/system/hearth.service"), "utf8").replace("ExecStart=/usr/local/bin/hearth", `ExecStart=${at("usr/local/bin/hearth")}`);
  writeFileSync(join(dir, "hearth.service"), unit);
  const proc = Bun.spawnSync(["systemd-analyze", "verify", join(dir, "hearth.service")]);
  expect(proc.stderr.toString()).toBe(""); // unknown keys are only warnings: demand none
  expect(proc.exitCode).toBe(0);
});

test("the unit keeps the required hardening", () => {
  const unit = readFileSync(join(repo, "systemd", "hearth.service"), "utf8");
  for (const line of ["User=hearth", "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/hearth", "PrivateTmp=yes", "ProtectHome=yes", "Restart=on-failure", "KillSignal=SIGTERM", "TimeoutStopSec=20", "LimitNOFILE=65536", "MemoryMax=2G", "TasksMax=512"]) {
    expect(unit.split("\n")).toContain(line);
  }
  expect(unit).toMatch(/^CapabilityBoundingSet=$/m);
  expect(unit).toMatch(/^AmbientCapabilities=$/m);
  expect(unit).not.toMatch(/^MemoryDenyWriteExecute=/m); // Bun's JIT needs writable+executable memory
});

test("--uninstall removes binary and unit but keeps data and config", () => {
  const r = install("--uninstall");
  expect(r.code).toBe(0);
  expect(existsSync(at("usr/local/bin/hearth"))).toBe(false);
  expect(existsSync(at("etc/systemd/system/hearth.service"))).toBe(false);
  expect(readFileSync(at("var/lib/hearth/hearth.db"), "utf8")).toBe("precious");
  expect(existsSync(at("etc/hearth/hearth.toml"))).toBe(true);
  expect(install("--uninstall").code).toBe(0); // idempotent
});

test("--uninstall --purge removes data and config too", () => {
  const r = install("--uninstall", "--purge");
  expect(r.code).toBe(0);
  expect(existsSync(at("var/lib/hearth"))).toBe(false);
  expect(existsSync(at("etc/hearth"))).toBe(false);
});

test("bad usage ends with one clear line and a non-zero exit", () => {
  const missing = install(join(base, "no-such-binary"));
  expect(missing.code).not.toBe(0);
  expect(missing.err.trim().split("\n")).toHaveLength(1);
  expect(install("--bogus").code).not.toBe(0);
  expect(install("--purge").code).not.toBe(0);
});
