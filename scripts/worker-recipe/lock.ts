// One build at a time per mediasoup version: `bun run setup`, a test and CI may all
// call ensureWorker() at once, and two parallel 10-minute compiles on 2 cores would
// each take twice as long. Later callers wait for the first build, then use its result.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";

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
