import { relative, resolve } from "node:path";
import { inspectDataDir, looseEntries, modeText } from "../../data-dir.ts";
import { type Check, type CheckResult, fail, ok, warn } from "../check.ts";

const SHOWN_MAX = 5;

/** Files Hearth wrote are 0600 in 0700 directories; anything wider came from outside (a copy, a restore, an old version). */
function filesLine(dir: string): CheckResult {
  const loose = looseEntries(dir);
  if (loose.length === 0) return ok("data files", "every file 0600 and directory 0700 or stricter");
  const shown = loose.slice(0, SHOWN_MAX).map((e) => `${relative(dir, e.path) || "."}${e.dir ? "/" : ""} (${modeText(e.mode)})`);
  const more = loose.length > SHOWN_MAX ? ` and ${loose.length - SHOWN_MAX} more` : "";
  return fail("data files", `readable by group or others: ${shown.join(", ")}${more}; run: chmod -R go-rwx ${dir}`);
}

export const dataDirCheck: Check = async ({ dataDir }) => {
  let state;
  try {
    state = inspectDataDir(dataDir);
  } catch (err) {
    return [fail("data dir", (err as Error).message)];
  }
  const dir = resolve(dataDir);
  if (!state.exists) return [warn("data dir", `${dir} does not exist yet (created on first start)`)];
  const permissions = state.modeProblem ?? state.accessProblem;
  return [
    ok("data dir", `${dir} exists`),
    state.ownerProblem ? fail("data dir owner", state.ownerProblem) : ok("data dir owner", `uid ${state.uid}, the uid Hearth runs as`),
    permissions ? fail("data dir permissions", permissions) : ok("data dir permissions", `mode ${modeText(state.mode)}`),
    filesLine(dir),
  ];
};
