import { expect, test } from "bun:test";
import { background } from "./background.ts";

test("a module's background loop starts once, stops once, and a stop before any start does nothing", () => {
  const log: string[] = [];
  const b = background(() => {
    log.push("start");
    return () => void log.push("stop");
  });
  b.stop("test");
  b.start();
  b.start();
  b.stop("test");
  b.stop("test");
  b.start();
  expect(log).toEqual(["start", "stop", "start"]);
});
