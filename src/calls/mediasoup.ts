// Loads mediasoup once per process, after pointing it at our worker binary: mediasoup
// reads MEDIASOUP_WORKER_BIN when its module loads, so the import must be dynamic and
// come after resolveWorkerBinary (worker-binary.ts).
import { AppError } from "../errors.ts";
import { embedded } from "../server/embedded.ts";
import { resolveWorkerBinary } from "./worker-binary.ts";

export type Mediasoup = typeof import("mediasoup");
export type { types } from "mediasoup";

let loading: Promise<Mediasoup> | null = null;

/** mediasoup with our worker; `unavailable` (retried on the next call) when the worker is missing. */
export function loadMediasoup(dataDir: string): Promise<Mediasoup> {
  loading ??= load(dataDir).catch((err) => {
    loading = null;
    throw err;
  });
  return loading;
}

async function load(dataDir: string): Promise<Mediasoup> {
  let path: string;
  try {
    path = (await resolveWorkerBinary({ dataDir, embedded: embedded()?.worker ?? undefined, compiled: embedded() !== null })).path;
  } catch (err) {
    throw new AppError("unavailable", `Calls are not available: ${(err as Error).message}`);
  }
  const mediasoup = await import("mediasoup");
  // Someone imported mediasoup before us with another binary: it would spawn that one.
  if (mediasoup.workerBin !== path) {
    throw new AppError("unavailable", `Calls are not available: mediasoup was loaded with worker ${mediasoup.workerBin}, not ${path}`);
  }
  return mediasoup;
}
