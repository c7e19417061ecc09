// The composition root (src/compose.ts) is what `hearth serve`, the CLI and the harness
// build through. This checks production's module list itself: every method the protocol
// declares is served by exactly one module, and a harness server mounted with that list
// answers each module's part of the welcome snapshot.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDeps, compose, composeModules } from "../src/compose.ts";
import { loadConfig } from "../src/config/load.ts";
import { methods } from "../src/protocol/methods/index.ts";
import { connectClient, createTestUser, startTestServer, type TestServer } from "./support/harness.ts";

describe("production's module list", () => {
  let withSnapshot: string[] = [];

  test("every protocol method is served by exactly one module, and nothing else is", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hearth-compose-"));
    const deps = await compose(loadConfig({ flags: { data: dir, set: ["log.level=error"] } }), { processMetrics: false });
    try {
      const modules = await composeModules(deps);
      const served = modules.flatMap((m) => m.methods.map((d) => d.name));
      const twice = served.filter((n, i) => served.indexOf(n) !== i);
      expect(twice).toEqual([]);
      expect([...served].sort()).toEqual(Object.keys(methods).sort());
      withSnapshot = modules.filter((m) => m.snapshot).map((m) => m.name).sort();
      expect(withSnapshot.length).toBeGreaterThan(3);
      for (const m of modules) await m.stop?.("test");
    } finally {
      await closeDeps(deps);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("a harness server mounted with it", () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer({ production: true });
    });
    afterAll(() => t.stop());

    test("the welcome snapshot has every module's part", async () => {
      let snapshot: Record<string, unknown> = {};
      const c = await connectClient(t, await createTestUser(t), { onSnapshot: (s) => void (snapshot = s) });
      try {
        expect(Object.keys(snapshot).sort()).toEqual(withSnapshot);
      } finally {
        c.close();
      }
    });
  });
});
