// Seeded randomness for randomized tests: each run prints its seed, and HEARTH_SEED=<n>
// replays it (the same values in the same order; interleavings across sockets may still
// differ). mulberry32: tiny, fast, and good enough to drive fuzzers.

export type Rng = {
  (): number; // [0, 1)
  int(n: number): number; // [0, n)
  pick<T>(xs: readonly T[]): T;
  bytes(n: number): Uint8Array<ArrayBuffer>;
  /** An independent stream (for one concurrent worker), reproducible from the same seed. */
  fork(stream: number): Rng;
};

export function rngFrom(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng = next as Rng;
  rng.int = (n) => Math.floor(next() * n);
  rng.pick = (xs) => xs[rng.int(xs.length)]!;
  rng.bytes = (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = rng.int(256);
    return out;
  };
  rng.fork = (stream) => rngFrom(Math.imul(seed ^ 0x9e3779b9, stream + 1) ^ stream);
  return rng;
}

/** The seed from HEARTH_SEED, else a fresh one; printed either way so a failure can be replayed. */
export function testSeed(label: string): number {
  const fromEnv = process.env.HEARTH_SEED;
  const seed = fromEnv !== undefined && fromEnv !== "" ? Number(fromEnv) >>> 0 : crypto.getRandomValues(new Uint32Array(1))[0]!;
  console.log(`${label}: seed ${seed} (replay with HEARTH_SEED=${seed})`);
  return seed;
}

/** A generator from testSeed(label): the one source of randomness for test inputs. */
export function seededRng(label: string): Rng {
  return rngFrom(testSeed(label));
}
