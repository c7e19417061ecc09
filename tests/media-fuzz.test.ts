// Mutated media never crash, hang or throw: every probe and every image job answers a value.
// Seeded: the seed is printed; HEARTH_SEED=<n> replays the same mutations.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { processImage, reencodeImage, sniff } from "../src/media/image/index.ts";
import { probeAudioVideo } from "../src/media/probe/index.ts";
import { type Rng, seededRng } from "./support/seed.ts";

const rng = seededRng("media fuzz");
const dir = mkdtempSync(join(tmpdir(), "hearth-media-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixtures = join(import.meta.dir, "fixtures", "media");

/** Flipped bytes, a cut, a splice of random bytes, or an overwritten run (sizes and counts live in headers). */
function mutate(r: Rng, input: Uint8Array): Uint8Array {
  const b = new Uint8Array(input);
  switch (r.int(4)) {
    case 0:
      for (let i = 0, n = 1 + r.int(16); i < n; i++) b[r.int(b.length)] = r.int(256);
      return b;
    case 1:
      return b.subarray(0, r.int(b.length));
    case 2: {
      const at = r.int(b.length);
      return new Uint8Array([...b.subarray(0, at), ...r.bytes(1 + r.int(64)), ...b.subarray(at)]);
    }
    default: {
      const at = r.int(Math.min(b.length, 512)); // the header region, where lengths are
      b.fill(r.pick([0x00, 0xff, 0x7f]), at, at + 1 + r.int(8));
      return b;
    }
  }
}

test("probeAudioVideo on 400 mutated audio/video files: always a value", async () => {
  const seeds = readdirSync(fixtures).filter((f) => !f.endsWith(".md")).map((f) => readFileSync(join(fixtures, f)));
  const codes = new Map<string, number>();
  for (let i = 0; i < 400; i++) {
    const path = join(dir, `p${i}`);
    writeFileSync(path, mutate(rng, rng.pick(seeds)));
    const r = await probeAudioVideo(path);
    expect(typeof r.ok).toBe("boolean");
    if (r.ok && r.durationMs !== undefined) expect(Number.isFinite(r.durationMs) && r.durationMs >= 0).toBe(true);
    const key = r.ok ? "ok" : r.code;
    codes.set(key, (codes.get(key) ?? 0) + 1);
  }
  console.log("probe outcomes:", Object.fromEntries(codes));
}, 60_000);

test("processImage on 60 mutated JPEG/PNG/GIF/WebP files: always a value, nothing left behind on failure", async () => {
  const base = sharp({ create: { width: 96, height: 64, channels: 3, background: "#468" } });
  const seeds = await Promise.all([base.clone().jpeg().toBuffer(), base.clone().png().toBuffer(), base.clone().gif().toBuffer(), base.clone().webp().toBuffer()]);
  const codes = new Map<string, number>();
  for (let i = 0; i < 60; i++) {
    const bytes = mutate(rng, rng.pick(seeds));
    const path = join(dir, `i${i}`);
    writeFileSync(path, bytes);
    const out = join(dir, `out${i}`);
    const r = await processImage(path, out);
    if (!r.ok) expect(readdirSync(out)).toEqual([]);
    const e = await reencodeImage(bytes, 64);
    expect(typeof e.ok).toBe("boolean");
    expect(typeof (await sniff(bytes)).mime).toBe("string");
    const key = r.ok ? "ok" : r.code;
    codes.set(key, (codes.get(key) ?? 0) + 1);
  }
  console.log("image outcomes:", Object.fromEntries(codes));
}, 60_000);
