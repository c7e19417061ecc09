import { resolve } from "node:path";
import { inspectDataDir, modeText } from "../../data-dir.ts";
import { type Check, fail, ok, warn } from "../check.ts";

export const dataDirCheck: Check = async ({ dataDir }) => {
  let state;
  try {
    state = inspectDataDir(dataDir);
  } catch (err) {
    return [fail("data dir", (err as Error).message)];
  }
  if (!state.exists) return [warn("data dir", `${resolve(dataDir)} does not exist yet (created on first start)`)];
  return [
    ok("data dir", `${resolve(dataDir)} exists`),
    state.ownerProblem ? fail("data dir owner", state.ownerProblem) : ok("data dir owner", `uid ${state.uid}, the uid Hearth runs as`),
    state.modeProblem ? fail("data dir permissions", state.modeProblem) : ok("data dir permissions", `mode ${modeText(state.mode)}`),
  ];
};
