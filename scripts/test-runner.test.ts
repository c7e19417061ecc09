import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseBunSummary, runPerFileWithRetry, type Phase } from "./test.ts";

const phase = (files: string[], env: Record<string, string> = {}): Phase => ({
  name: "fixture",
  files,
  cmd: (f) => [process.execPath, "test", ...f],
  parse: parseBunSummary,
  env,
  perFileRetry: true,
  quiet: true,
});

test("a browser file that fails once passes on its single retry and is reported as flaky", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hearth-runner-"));
  try {
    const r = await runPerFileWithRetry(phase(["./scripts/fixtures/flaky.fixture.ts"], { HEARTH_FLAKY_MARKER: join(dir, "m") }));
    expect(r.tally).toEqual({ passed: 1, failed: 0 });
    expect(r.code).toBe(0);
    expect(r.flaky).toHaveLength(1);
    expect(r.flaky[0]).toContain("flaky.fixture.ts");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test("a file that fails twice counts as failed and is not called flaky", async () => {
  const r = await runPerFileWithRetry(phase(["./scripts/fixtures/broken.fixture.ts"]));
  expect(r.tally).toEqual({ passed: 0, failed: 1 });
  expect(r.code).not.toBe(0);
  expect(r.flaky).toEqual([]);
}, 60_000);

test("the outer summary wins over a child run's summary printed before it", () => {
  const out = ["(fail) always fails", " 0 pass", " 1 fail", "(pass) outer", " 2 pass", " 0 fail", "Ran 2 tests"].join("\n");
  expect(parseBunSummary(out)).toEqual({ passed: 2, failed: 0 });
});
