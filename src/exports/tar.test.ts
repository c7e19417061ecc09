// The tar writer read back by the system's tar (GNU tar here), byte for byte.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seededRng } from "../../tests/support/seed.ts";
import { type TarEntry, tarHeader, tarStream } from "./tar.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function collect(entries: TarEntry[]): Promise<Uint8Array> {
  async function* each() {
    yield* entries;
  }
  const parts: Uint8Array[] = [];
  for await (const c of tarStream(each())) parts.push(c);
  return Buffer.concat(parts);
}

describe("tar writer", () => {
  test("tar lists and extracts exactly what was written (sizes around the 512-byte blocks, nested names, streamed bodies)", async () => {
    const rng = seededRng("tar writer");
    const sizes = [0, 1, 511, 512, 513, 1024, 100_000, Math.floor(rng() * 300_000)];
    const entries: TarEntry[] = sizes.map((size, i) => ({
      name: `dir${i % 3}/sub/file-${i}.bin`,
      size,
      mtimeMs: Date.UTC(2026, 11, 2, 7, 0, i),
      body: Uint8Array.from({ length: size }, () => Math.floor(rng() * 256)),
    }));
    const streamed = new TextEncoder().encode("streamed in three chunks\n");
    entries.push({
      name: "index.html",
      size: streamed.byteLength,
      mtimeMs: Date.UTC(2026, 0, 1),
      body: (async function* () {
        yield streamed.slice(0, 5);
        yield streamed.slice(5, 10);
        yield streamed.slice(10);
      })(),
    });
    const archive = await collect(entries);
    expect(archive.byteLength % 512).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), "hearth-tar-"));
    dirs.push(dir);
    writeFileSync(join(dir, "a.tar"), archive);
    const list = Bun.spawnSync(["tar", "-tvf", join(dir, "a.tar")]);
    expect(list.exitCode).toBe(0);
    expect(list.stderr.toString()).toBe("");
    const names = list.stdout.toString().trim().split("\n").map((l) => l.split(/\s+/).pop());
    expect(names).toEqual(entries.map((e) => e.name));
    const x = Bun.spawnSync(["tar", "-xf", join(dir, "a.tar"), "-C", dir]);
    expect(x.exitCode).toBe(0);
    for (const e of entries.slice(0, sizes.length)) expect(Buffer.from(readFileSync(join(dir, e.name))).equals(Buffer.from(e.body as Uint8Array))).toBe(true);
    expect(readFileSync(join(dir, "index.html"), "utf8")).toBe("streamed in three chunks\n");
  });

  test("a body shorter than declared fails instead of writing a broken archive; bad names are refused", async () => {
    await expect(collect([{ name: "a", size: 10, mtimeMs: 0, body: new Uint8Array(4) }])).rejects.toThrow("a: 4 bytes where 10 were declared");
    expect(() => tarHeader("x".repeat(101), 0, 0)).toThrow(/at most 100 bytes/);
    expect(() => tarHeader("naïve", 0, 0)).toThrow(/printable ASCII/);
  });

  test("a size of 8 GiB or more uses the base-256 field", () => {
    const h = tarHeader("big", 2 ** 33 + 5, 0);
    expect(h[124]).toBe(0x80);
    expect(Buffer.from(h.slice(128, 136)).readBigUInt64BE()).toBe(BigInt(2 ** 33 + 5));
  });
});
