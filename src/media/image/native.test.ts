// Where the native library cannot load, images are `unavailable` with a reason an operator
// can act on — never a crash. The compiled executable's path (extract, check, dlopen) is
// exercised here with real files; tests/binary.test.ts runs it inside the executable.
import { afterAll, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { libvipsFile } from "../../../build.ts";
import { extractLibrary, loadNative } from "./native.ts";

const dir = mkdtempSync(join(tmpdir(), "hearth-img-native-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

test("from source sharp loads from node_modules", async () => {
  const r = await loadNative({ dataDir: dir, compiled: false });
  expect(r.support).toMatchObject({ available: true });
  expect(r.support.available && r.support.detail).toMatch(/^sharp 0\.34\.\d+, libvips 8\.\d+\.\d+ \(node_modules\)$/);
});

test("turned off by config, or an executable built without the library (arm64): unavailable, with the reason", async () => {
  expect((await loadNative({ dataDir: dir, enabled: false })).support).toEqual({ available: false, reason: "turned off by the config key images.enabled = false" });
  const none = await loadNative({ dataDir: dir, compiled: true, libvips: null });
  expect(none.sharp).toBeNull();
  expect(none.support).toEqual({ available: false, reason: `this ${process.platform}-${process.arch} executable was built without the native image library (sharp)` });
});

test("a corrupt embedded library is refused by its checksum; a library that does not load is named", async () => {
  const real = libvipsFile();
  const broken = join(dir, "broken.so");
  writeFileSync(broken, "not a shared library");
  const corrupt = await loadNative({ dataDir: join(dir, "a"), compiled: true, libvips: { ...real, path: broken } });
  expect(corrupt.support.available).toBe(false);
  expect(!corrupt.support.available && corrupt.support.reason).toMatch(/^cannot load libvips-cpp\.so\.[\d.]+: embedded libvips-cpp\.so\.[\d.]+ is corrupt \(sha256 /);
  // Right checksum, wrong content (a build that embedded the wrong file): dlopen fails, said so.
  const bad = await loadNative({ dataDir: join(dir, "b"), compiled: true, libvips: { path: broken, name: "libvips-cpp.so.0.0.0", sha256: sha256(readFileSync(broken)) } });
  expect(!bad.support.available && bad.support.reason).toMatch(/^cannot load libvips-cpp\.so\.0\.0\.0: /);
});

test("the library is written to <dataDir>/lib once and rewritten when its content changed", () => {
  const real = libvipsFile();
  const data = join(dir, "c");
  const path = extractLibrary(data, real);
  expect(path).toBe(join(data, "lib", real.name));
  expect(sha256(readFileSync(path))).toBe(real.sha256);
  writeFileSync(path, "damaged on disk");
  expect(extractLibrary(data, real)).toBe(path);
  expect(sha256(readFileSync(path))).toBe(real.sha256);
});
