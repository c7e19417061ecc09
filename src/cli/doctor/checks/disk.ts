import { existsSync, statfsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type Check, ok, warn } from "../check.ts";

// Below this, a backup or a migration's pre-copy of a grown database may not fit.
const FREE_WARN_BYTES = 1024 ** 3;

const gib = (bytes: number) =>
  bytes < 1024 ** 3 ? `${Math.floor(bytes / 1024 ** 2)} MiB` : `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/** The data dir, or the nearest existing parent before it is created (same filesystem, most likely). */
function nearestExisting(dir: string): string {
  let path = resolve(dir);
  while (!existsSync(path) && dirname(path) !== path) path = dirname(path);
  return path;
}

export const diskCheck: Check = async ({ dataDir }) => {
  const where = nearestExisting(dataDir);
  let free: number;
  try {
    const st = statfsSync(where);
    free = st.bavail * st.bsize;
  } catch (err) {
    return [warn("disk space", `cannot measure free space at ${where}: ${(err as Error).message}`)];
  }
  return free < FREE_WARN_BYTES
    ? [warn("disk space", `only ${gib(free)} free in ${where}; keep at least 1 GiB`)]
    : [ok("disk space", `${gib(free)} free in ${where}`)];
};
