// The bus contract: every adapter (in-process now, Redis with scale-out) runs this
// suite. Adapters may deliver asynchronously, so assertions wait for delivery with a
// bounded poll instead of assuming timing.
import { describe, expect, test } from "bun:test";
import type { Bus } from "./port.ts";

const WAIT_MS_MAX = 5000;

async function until(cond: () => boolean): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > WAIT_MS_MAX) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A message on a topic nobody else uses, to know earlier messages were delivered. */
async function fence(bus: Bus): Promise<void> {
  const topic = `fence:${crypto.randomUUID()}`;
  let seen = false;
  const off = bus.subscribe(topic, () => (seen = true));
  await bus.publish(topic, new Uint8Array([1]));
  await until(() => seen);
  off();
}

const bytes = (n: number) => new Uint8Array([n & 255, (n >> 8) & 255]);
const num = (p: Uint8Array) => p[0]! + (p[1]! << 8);

export function runBusContract(name: string, make: () => Promise<Bus> | Bus) {
  describe(`bus contract: ${name}`, () => {
    test("messages from one publisher arrive in publish order", async () => {
      const bus = await make();
      const got: number[] = [];
      bus.subscribe("t:order", (p) => got.push(num(p)));
      for (let i = 0; i < 1000; i++) void bus.publish("t:order", bytes(i));
      await until(() => got.length === 1000);
      expect(got).toEqual([...Array(1000).keys()]);
      await bus.close();
    });

    test("publish never runs a handler inside the publish call", async () => {
      const bus = await make();
      let ran = false;
      bus.subscribe("t:reenter", () => (ran = true));
      const p = bus.publish("t:reenter", bytes(1));
      expect(ran).toBe(false);
      await p;
      await until(() => ran);
      await bus.close();
    });

    test("every subscriber of a topic gets each message once", async () => {
      const bus = await make();
      const a: number[] = [];
      const b: number[] = [];
      const h = (p: Uint8Array) => a.push(num(p));
      bus.subscribe("t:multi", h);
      bus.subscribe("t:multi", (p) => b.push(num(p)));
      await bus.publish("t:multi", bytes(1));
      await bus.publish("t:multi", bytes(2));
      await until(() => a.length === 2 && b.length === 2);
      await fence(bus);
      expect(a).toEqual([1, 2]);
      expect(b).toEqual([1, 2]);
      await bus.close();
    });

    test("no message leaks to another topic", async () => {
      const bus = await make();
      const other: number[] = [];
      const mine: number[] = [];
      bus.subscribe("t:other", (p) => other.push(num(p)));
      bus.subscribe("t:mine", (p) => mine.push(num(p)));
      await bus.publish("t:mine", bytes(5));
      await until(() => mine.length === 1);
      await fence(bus);
      expect(other).toEqual([]);
      await bus.close();
    });

    test("after unsubscribe a handler gets nothing, others still do", async () => {
      const bus = await make();
      const a: number[] = [];
      const b: number[] = [];
      const offA = bus.subscribe("t:unsub", (p) => a.push(num(p)));
      bus.subscribe("t:unsub", (p) => b.push(num(p)));
      await bus.publish("t:unsub", bytes(1));
      await until(() => a.length === 1 && b.length === 1);
      offA();
      offA(); // idempotent
      await bus.publish("t:unsub", bytes(2));
      await until(() => b.length === 2);
      await fence(bus);
      expect(a).toEqual([1]);
      await bus.close();
    });

    test("a throwing handler does not stop delivery to others", async () => {
      const bus = await make();
      const got: number[] = [];
      bus.subscribe("t:throw", () => {
        throw new Error("handler bug");
      });
      bus.subscribe("t:throw", (p) => got.push(num(p)));
      await bus.publish("t:throw", bytes(3));
      await until(() => got.length === 1);
      await bus.close();
    });

    test("payload bytes arrive intact", async () => {
      const bus = await make();
      const payload = crypto.getRandomValues(new Uint8Array(64 * 1024));
      let got: Uint8Array | null = null;
      bus.subscribe("t:bytes", (p) => (got = p));
      await bus.publish("t:bytes", payload);
      await until(() => got !== null);
      expect(Buffer.from(got!).equals(Buffer.from(payload))).toBe(true);
      await bus.close();
    });

    test("close: ready() turns false and nothing is delivered afterwards", async () => {
      const bus = await make();
      expect(await bus.ready()).toBe(true);
      const got: number[] = [];
      bus.subscribe("t:close", (p) => got.push(num(p)));
      await bus.close();
      expect(await bus.ready()).toBe(false);
      await bus.publish("t:close", bytes(1)).catch(() => {});
      await new Promise((r) => setTimeout(r, 20));
      expect(got).toEqual([]);
      await bus.close(); // idempotent
    });
  });
}
