import { statfsSync } from "node:fs";
import { type Check, ok, warn } from "../check.ts";

// Below this, a backup or a migration's pre-copy of a grown database may not fit.
const FREE_WARN_BYTES = 1024 ** 3;

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

export const diskCheck: Check = async ({ dataDir }) => {
  let free: number;
  try {
    const st = statfsSync(dataDir);
    free = st.bavail * st.bsize;
  } catch {
    return [warn("disk space", `cannot measure free space at ${dataDir} (does it exist?)`)];
  }
  return free < FREE_WARN_BYTES
    ? [warn("disk space", `only ${gib(free)} free in ${dataDir}; keep at least ${gib(FREE_WARN_BYTES)}`)]
    : [ok("disk space", `${gib(free)} free in ${dataDir}`)];
};
