import { afterEach, describe, expect, test } from "bun:test";
import { homedir } from "node:os";
import { join } from "node:path";
import { arm64LinkedPackages, cacheRoot, linkedPackages, mediasoupVersion, recipeHash, workerCachePath } from "./key.ts";
import { crossFile, crossPackages, crossWorkerOptions } from "./cross.ts";
import { debianSources, sourcesList } from "./sysroot.ts";

const saved = { cache: process.env.HEARTH_CACHE_DIR, xdg: process.env.XDG_CACHE_HOME };
afterEach(() => {
  for (const [name, value] of [["HEARTH_CACHE_DIR", saved.cache], ["XDG_CACHE_HOME", saved.xdg]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("worker cache key", () => {
  test("cache root: HEARTH_CACHE_DIR, else XDG_CACHE_HOME/hearth, else ~/.cache/hearth", () => {
    delete process.env.HEARTH_CACHE_DIR;
    delete process.env.XDG_CACHE_HOME;
    expect(cacheRoot()).toBe(join(homedir(), ".cache", "hearth"));
    process.env.XDG_CACHE_HOME = "/x/cache";
    expect(cacheRoot()).toBe("/x/cache/hearth");
    process.env.HEARTH_CACHE_DIR = "/h";
    expect(cacheRoot()).toBe("/h");
    expect(workerCachePath()).toMatch(new RegExp(`^/h/mediasoup-worker/${mediasoupVersion.replaceAll(".", "\\.")}-[0-9a-f]{12}/mediasoup-worker$`));
  });

  test("an upgraded linked Debian package gives a new key (e.g. an OpenSSL security fix)", () => {
    const versions = new Map(linkedPackages.map((p) => [p, "1.0"]));
    const before = recipeHash(versions);
    expect(recipeHash(new Map(versions))).toBe(before);
    versions.set("libssl-dev", "1.0+deb12u1");
    expect(recipeHash(versions)).not.toBe(before);
  });

  test("the arm64 key is its own, and moves with the cross toolchain; the x86-64 key ignores the arm64 recipe", () => {
    const versions = new Map<string, string>([...linkedPackages, ...arm64LinkedPackages].map((p) => [p, "1.0"]));
    const x64 = recipeHash(versions);
    const arm64 = recipeHash(versions, "arm64");
    expect(arm64).not.toBe(x64);
    versions.set("gcc-12-aarch64-linux-gnu", "1.1");
    expect(recipeHash(versions)).toBe(x64);
    expect(recipeHash(versions, "arm64")).not.toBe(arm64);
    expect(workerCachePath("arm64")).toMatch(/mediasoup-worker\/[\d.]+-arm64-[0-9a-f]{12}\/mediasoup-worker$/);
  });

  test("the arm64 key's toolchain list is the one the cross recipe installs", () => {
    // Declared twice on purpose: cross.ts is hashed into the arm64 key, so it cannot
    // import the list from src/calls/worker-cache.ts without moving every arm64 key.
    expect([...arm64LinkedPackages]).toEqual([...crossPackages]);
  });
});

describe("arm64 cross build", () => {
  test("the machine's Debian main suites are asked for arm64, from deb822 and one-line sources", () => {
    const deb822 = "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /k.gpg\n\nTypes: deb\nURIs: https://deb.nodesource.com/node_20.x\nSuites: nodistro\nComponents: main\n";
    const oneLine = "deb [signed-by=/s.gpg] http://deb.debian.org/debian-security bookworm-security main\ndeb-src http://deb.debian.org/debian bookworm main\n";
    const sources = debianSources([{ path: "/etc/apt/sources.list.d/debian.sources", text: deb822 }, { path: "/etc/apt/sources.list", text: oneLine }]);
    expect(sourcesList(sources)).toBe(
      "deb [arch=arm64 signed-by=/k.gpg] http://deb.debian.org/debian bookworm main\n" +
        "deb [arch=arm64 signed-by=/k.gpg] http://deb.debian.org/debian bookworm-updates main\n" +
        "deb [arch=arm64 signed-by=/s.gpg] http://deb.debian.org/debian-security bookworm-security main\n",
    );
  });

  test("the cross file targets aarch64 with the sysroot's pkg-config and headers; the link stays static", () => {
    const file = crossFile("/sr");
    expect(file).toContain("cpu_family = 'aarch64'");
    expect(file).toContain("cpp = 'aarch64-linux-gnu-g++'");
    expect(file).toContain("sys_root = '/sr'");
    expect(file).toContain("pkg_config_libdir = ['/sr/usr/lib/aarch64-linux-gnu/pkgconfig', '/sr/usr/share/pkgconfig']");
    expect(crossWorkerOptions("/sr")).toContain("-Dcpp_link_args=-static -L/sr/usr/lib/aarch64-linux-gnu");
  });
});
