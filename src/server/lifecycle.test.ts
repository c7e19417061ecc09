import { describe, expect, test } from "bun:test";
import { createLogger } from "../log/logger.ts";
import { createLifecycle, exitOnSignals, type ShutdownSteps } from "./lifecycle.ts";

function setup(overrides: Partial<ShutdownSteps> = {}) {
  const order: string[] = [];
  const lines: string[] = [];
  const log = createLogger({ level: "info", format: "json", stream: { write: (s: string) => lines.push(s) } });
  const lifecycle = createLifecycle({
    log,
    stopListening: async () => void order.push("stop listening"),
    closeBackends: async () => void order.push("close backends"),
    ...overrides,
  });
  return { order, lifecycle, log, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("shutdown", () => {
  test("not ready, stop listening, hooks in order, then backends", async () => {
    const { order, lifecycle } = setup();
    lifecycle.onShutdown(async (reason) => {
      order.push(`hook 1 (${reason}, shuttingDown=${lifecycle.shuttingDown})`);
    });
    lifecycle.onShutdown(() => void order.push("hook 2"));
    expect(lifecycle.shuttingDown).toBe(false);
    await lifecycle.shutdown("SIGTERM");
    expect(order).toEqual(["stop listening", "hook 1 (SIGTERM, shuttingDown=true)", "hook 2", "close backends"]);
  });

  test("backends close only after in-flight work (stopListening) is done", async () => {
    let release!: () => void;
    const inFlight = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const { lifecycle } = setup({
      stopListening: async () => {
        await inFlight;
        order.push("listener stopped");
      },
      closeBackends: async () => void order.push("backends closed"),
    });
    lifecycle.onShutdown(() => {
      order.push("hook");
      release();
    });
    await lifecycle.shutdown("t");
    expect(order).toEqual(["hook", "listener stopped", "backends closed"]);
  });

  test("runs once; a second call returns the same promise", async () => {
    const { order, lifecycle } = setup();
    const a = lifecycle.shutdown("a");
    const b = lifecycle.shutdown("b");
    expect(a).toBe(b);
    await a;
    expect(order.filter((s) => s === "close backends").length).toBe(1);
    expect(() => lifecycle.onShutdown(() => {})).toThrow("after shutdown began");
  });

  test("a failing hook is logged and the rest still run", async () => {
    const { order, lifecycle, records } = setup();
    lifecycle.onShutdown(() => {
      throw new Error("hook broke");
    });
    lifecycle.onShutdown(() => void order.push("next hook"));
    await lifecycle.shutdown("t");
    expect(order).toEqual(["stop listening", "next hook", "close backends"]);
    expect(records().some((r) => r.msg === "shutdown hook failed")).toBe(true);
  });

  test("past the grace period it rejects", async () => {
    const { lifecycle } = setup({ graceMs: 20 });
    lifecycle.onShutdown(() => new Promise(() => {})); // never finishes
    await expect(lifecycle.shutdown("t")).rejects.toThrow("shutdown did not finish within 20 ms");
  });
});

describe("exitOnSignals", () => {
  test("SIGTERM shuts down then exits 0; a second signal exits 1 at once", async () => {
    const { order, lifecycle, log } = setup();
    let release!: () => void;
    lifecycle.onShutdown(() => new Promise<void>((r) => (release = r)));
    const codes: number[] = [];
    const remove = exitOnSignals(lifecycle, log, (c) => void codes.push(c));
    try {
      process.emit("SIGTERM", "SIGTERM");
      expect(lifecycle.shuttingDown).toBe(true);
      process.emit("SIGINT", "SIGINT");
      expect(codes).toEqual([1]);
      release();
      await lifecycle.shutdown("ignored");
      await Bun.sleep(0);
      expect(codes).toEqual([1, 0]);
      expect(order).toContain("close backends");
    } finally {
      remove();
    }
  });

  test("a shutdown that fails exits 1", async () => {
    const { lifecycle, log } = setup({ closeBackends: async () => Promise.reject(new Error("disk gone")) });
    const codes: number[] = [];
    const remove = exitOnSignals(lifecycle, log, (c) => void codes.push(c));
    try {
      process.emit("SIGTERM", "SIGTERM");
      await lifecycle.shutdown("x").catch(() => {});
      await Bun.sleep(0);
      expect(codes).toEqual([1]);
    } finally {
      remove();
    }
  });
});
