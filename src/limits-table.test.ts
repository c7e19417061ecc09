import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { limits } from "./limits.ts";
import { formatLimit, LIMITS_END, LIMITS_START, parseLimitsSource, renderLimitsTable } from "./limits-table.ts";

const source = readFileSync(join(import.meta.dir, "limits.ts"), "utf8");
const doc = readFileSync(join(import.meta.dir, "../docs/protocol.md"), "utf8");

test("every key of the limits object is in the parsed source, once, with a numeric value", () => {
  const parsed = parseLimitsSource(source).flatMap((g) => g.rows.map((r) => r.name));
  expect([...parsed].sort()).toEqual(Object.keys(limits).sort());
  for (const v of Object.values(limits)) expect(typeof v).toBe("number");
});

test("every limit says what it bounds (a comment on its line in src/limits.ts)", () => {
  const silent = parseLimitsSource(source).flatMap((g) => g.rows).filter((r) => r.why.trim() === "").map((r) => r.name);
  expect(silent).toEqual([]);
});

test("docs/protocol.md holds exactly the generated limits table (refresh: bun src/limits-table.ts)", () => {
  const start = doc.indexOf(LIMITS_START);
  const end = doc.indexOf(LIMITS_END);
  expect(start).toBeGreaterThan(0);
  expect(doc.slice(start + LIMITS_START.length, end)).toBe("\n" + renderLimitsTable(source));
});

test("values are shown in the unit their name ends with", () => {
  expect(formatLimit("accessTokenTtlMs", 15 * 60_000)).toBe("15 min");
  expect(formatLimit("idempotencyTtlMs", 24 * 60 * 60_000)).toBe("1 d");
  expect(formatLimit("writeBatchWindowMs", 1)).toBe("1 ms");
  expect(formatLimit("typingThrottleMs", 3000)).toBe("3 s");
  expect(formatLimit("idleTimeoutSec", 60)).toBe("1 min");
  expect(formatLimit("frameBytesMax", 256 * 1024)).toBe("256 KiB");
  expect(formatLimit("sendBufferBytesMax", 4 * 1024 * 1024)).toBe("4 MiB");
  expect(formatLimit("authBodyBytesMax", 1000)).toBe("1,000 bytes");
  expect(formatLimit("writeQueueOpsMax", 100_000)).toBe("100,000");
  expect(formatLimit("tlsCaValidDays", 3650)).toBe("3,650 d");
});
