// Where a built worker lives and its cache key: defined once in src/calls/worker-cache.ts
// (the dev runtime needs it too, and product code never imports scripts/); the recipe adds
// only what the build itself needs installed.
import { join } from "node:path";
import { crossToolPackages } from "./cross.ts";
import { linkedPackages } from "../../src/calls/worker-cache.ts";

export {
  arm64LinkedPackages, arm64RecipeFiles, cacheRoot, installedVersions, linkedPackages, mediasoupVersion, recipeFiles, recipeHash,
  type WorkerArch, type WorkerCacheEntry, workerCacheEntry, workerCachePath,
} from "../../src/calls/worker-cache.ts";

/** Everything the build needs installed (linked packages plus tools). */
export const requiredPackages = [
  ...linkedPackages, "build-essential", "pkg-config", "python3", "ninja-build", "binutils",
] as const;

export const mediasoupDir = join(import.meta.dir, "..", "..", "node_modules", "mediasoup");
export const arm64RequiredPackages = [...requiredPackages, ...crossToolPackages] as const;
