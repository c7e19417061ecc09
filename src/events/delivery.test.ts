// Pure ordering logic of Delivery, with an in-memory list standing in for storage's
// readAfter (the end-to-end tests in tests/resume.test.ts use real SQLite).
import { describe, expect, test } from "bun:test";
import { Delivery, type OutEvent } from "./delivery.ts";
import { seededRng } from "../../tests/support/seed.ts";

const random = seededRng("delivery order test");

function setup(opts: { pageMax?: number; frameEventsMax?: number; liveMax?: number; oldest?: number } = {}) {
  const stored: OutEvent[] = [];
  const frames: OutEvent[][] = [];
  let gaps = 0;
  let reads = 0;
  const d = new Delivery({
    async readAfter(afterId, limit) {
      reads++;
      await new Promise((r) => setTimeout(r, random() * 2));
      return stored.filter((e) => e.id > afterId && e.id >= (opts.oldest ?? 1)).slice(0, limit);
    },
    send: (events) => frames.push(events),
    onGap: () => gaps++,
    onError: (e) => {
      throw e;
    },
    schedule: (fn) => setImmediate(fn),
    pageMax: opts.pageMax ?? 7,
    frameEventsMax: opts.frameEventsMax ?? 5,
    liveMax: opts.liveMax ?? 50,
  });
  const append = (n: number) => {
    const out: OutEvent[] = [];
    for (let i = 0; i < n; i++) {
      const e = { id: stored.length + 1, type: "t.x", data: stored.length + 1, at: 0 };
      stored.push(e);
      out.push(e);
    }
    return out;
  };
  const ids = () => frames.flat().map((e) => e.id);
  return { d, stored, frames, append, ids, gaps: () => gaps, reads: () => reads };
}

const settle = async (cond: () => boolean) => {
  for (let i = 0; i < 5000 && !cond(); i++) await new Promise((r) => setTimeout(r, 1));
};
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("Delivery", () => {
  test("replays the missed events from storage, then continues with live ones", async () => {
    const s = setup();
    s.append(30);
    s.d.begin(10, 30);
    s.d.push(s.append(3));
    await settle(() => s.ids().length === 23);
    expect(s.ids()).toEqual(range(11, 33));
    for (const f of s.frames) expect(f.length).toBeLessThanOrEqual(5);
  });

  test("batches pushed in one turn leave in one frame", async () => {
    const s = setup({ frameEventsMax: 500 });
    s.d.begin(0, 0);
    for (let i = 0; i < 20; i++) s.d.push(s.append(1));
    await settle(() => s.ids().length === 20);
    expect(s.frames.length).toBe(1);
    expect(s.reads()).toBe(0);
  });

  test("live events before begin are held, then filtered by the resume point", async () => {
    const s = setup();
    s.append(5);
    s.d.push(s.append(2)); // 6, 7 arrive before the welcome
    s.d.begin(6, 5);
    await settle(() => s.ids().length === 1);
    await new Promise((r) => setTimeout(r, 10));
    expect(s.ids()).toEqual([7]);
  });

  test("dropped, duplicated, reordered and late bus batches never skip or repeat an id", async () => {
    for (let round = 0; round < 30; round++) {
      const s = setup({ liveMax: 1 + Math.floor(random() * 20) });
      s.append(Math.floor(random() * 20));
      const start = Math.floor(random() * (s.stored.length + 1));
      const pending: OutEvent[][] = [];
      let begun = false;
      for (let step = 0; step < 60; step++) {
        const batch = s.append(1 + Math.floor(random() * 3));
        if (random() < 0.8) pending.push(batch); // else the bus lost it
        if (random() < 0.2) pending.push(batch); // or delivered it twice
        if (!begun && random() < 0.2) {
          s.d.begin(start, s.stored.length);
          begun = true;
        }
        while (pending.length && random() < 0.5) {
          const i = Math.floor(random() * pending.length);
          s.d.push(pending.splice(i, 1)[0]!);
        }
        if (random() < 0.3) await new Promise((r) => setTimeout(r, 1));
      }
      if (!begun) s.d.begin(start, s.stored.length);
      for (const b of pending) s.d.push(b);
      s.d.push([s.stored.at(-1)!]); // the last event's batch eventually arrives
      await settle(() => s.ids().length >= s.stored.length - start);
      expect(s.ids()).toEqual(range(start + 1, s.stored.length));
      expect(s.gaps()).toBe(0);
    }
  });

  test("a hole that storage no longer has ends delivery with a gap", async () => {
    const s = setup({ oldest: 10 });
    s.append(20);
    s.d.begin(3, 20);
    await settle(() => s.gaps() === 1);
    expect(s.gaps()).toBe(1);
    expect(s.ids()).toEqual([]);
    s.d.push(s.append(1));
    await new Promise((r) => setTimeout(r, 5));
    expect(s.ids()).toEqual([]);
  });

  test("stop ends delivery at once", async () => {
    const s = setup();
    s.append(100);
    s.d.begin(0, 100);
    s.d.stop();
    await new Promise((r) => setTimeout(r, 20));
    expect(s.ids().length).toBeLessThanOrEqual(7);
  });
});
