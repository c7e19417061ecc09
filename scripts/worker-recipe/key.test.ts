import { afterEach, describe, expect, test } from "bun:test";
import { homedir } from "node:os";
import { join } from "node:path";
import { cacheRoot, linkedPackages, mediasoupVersion, recipeHash, workerCachePath } from "./key.ts";

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
});
