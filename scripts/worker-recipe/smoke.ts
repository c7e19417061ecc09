// Child process run by the build before publishing: spawns the new worker through
// mediasoup (a fresh process, since mediasoup fixes its worker path at import),
// creates a router, and a WebRtcServer with UDP and TCP on ONE port.
import type { types } from "mediasoup";
import { workerStatus } from "../../src/calls/worker-binary.ts";

const portAttemptsMax = 20;

/** A WebRtcServer on one random port for both UDP and TCP (retried if the port is taken). */
export async function sharedPortWebRtcServer(worker: types.Worker): Promise<{ server: types.WebRtcServer; port: number }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < portAttemptsMax; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    try {
      const server = await worker.createWebRtcServer({
        listenInfos: [
          { protocol: "udp", ip: "127.0.0.1", port },
          { protocol: "tcp", ip: "127.0.0.1", port },
        ],
      });
      return { server, port };
    } catch (err) {
      lastError = err; // most likely the port is in use: try another
    }
  }
  throw lastError;
}

async function main(path: string): Promise<number> {
  const status = await workerStatus(path);
  console.log(status.detail);
  if (!status.ok) return 1;
  const mediasoup = await import("mediasoup");
  const worker = await mediasoup.createWorker({ logLevel: "error" });
  try {
    const { port } = await sharedPortWebRtcServer(worker);
    console.log(`WebRtcServer on UDP+TCP port ${port}: ok`);
    return 0;
  } finally {
    worker.close();
  }
}

if (import.meta.main) {
  const path = process.argv[2];
  if (!path) throw new Error("usage: bun scripts/worker-recipe/smoke.ts <mediasoup-worker>");
  process.exit(await main(path));
}
