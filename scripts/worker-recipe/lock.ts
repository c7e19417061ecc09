// One build at a time per mediasoup version: `bun run setup`, a test and CI may all
// call ensureWorker() at once, and two parallel 10-minute compiles on 2 cores would
// each take twice as long. Later callers wait for the first build, then use its result.
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";

export const lockPollMs = 5_000;

function holder(lockPath: string): number | null {
  try {
    const pid = Number(readFileSync(lockPath, "utf8").trim());
    process.kill(pid, 0); // throws if that process is gone
    return pid;
  } catch {
    return null; // no lock, unreadable, or its owner died
  }
}

/** Takes the lock (waiting while a live process holds it); returns its release function. */
export async function acquireBuildLock(lockPath: string, log: (line: string) => void): Promise<() => void> {
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const pid = holder(lockPath);
    if (pid === null) {
      rmSync(lockPath, { force: true }); // stale: its builder crashed or was killed
      continue;
    }
    if (!announced) log(`[worker] another build (pid ${pid}) is running; waiting for it…`);
    announced = true;
    await Bun.sleep(lockPollMs);
  }
}

const buildDirPrefix = "hearth-worker-";

/**
 * Removes build dirs left by builds that are gone (killed by a timeout, or failed
 * and kept for inspection): each records its builder's pid in `.owner`.
 */
export function sweepStaleBuildDirs(parent: string): void {
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(buildDirPrefix)) continue;
    const owner = join(parent, name, ".owner");
    if (existsSync(owner) && holder(owner) === null) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/** A fresh build dir under `parent`, marked with our pid. */
export function newBuildDir(parent: string): string {
  const dir = mkdtempSync(join(parent, buildDirPrefix));
  writeFileSync(join(dir, ".owner"), `${process.pid}\n`);
  return dir;
}
