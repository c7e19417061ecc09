// The SFU (mediasoup) worker is a separate native binary; calls need it present and
// runnable. How it is found and tried belongs to src/calls/worker-binary.ts.
import { embedded } from "../../../server/embedded.ts";
import { type Check, fail, ok } from "../check.ts";

const FIX = "run `bun run setup` to build it";
const withFix = (detail: string) => (detail.includes("bun run setup") ? detail : `${detail}; ${FIX}`);

export const sfuWorkerCheck: Check = async ({ config }) => {
  let mod: typeof import("../../../calls/worker-binary.ts");
  try {
    mod = await import("../../../calls/worker-binary.ts");
  } catch {
    return [fail("SFU worker", `worker support is not available in this build; ${FIX}`)];
  }
  try {
    // In the compiled executable the worker is embedded and copied out on first use, as serve does.
    const { path } = await mod.resolveWorkerBinary({ dataDir: config.data.dir, embedded: embedded()?.worker ?? undefined, compiled: embedded() !== null });
    const status = await mod.workerStatus(path);
    return status.ok ? [ok("SFU worker", `${path}: ${status.detail}`)] : [fail("SFU worker", withFix(status.detail))];
  } catch (err) {
    return [fail("SFU worker", withFix((err as Error).message.split("\n")[0]!))];
  }
};
