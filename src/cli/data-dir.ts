// Is the data directory safe to use? Root can write anywhere, so a write test proves
// nothing: the owner is compared with the uid Hearth runs as, explicitly. Shared by
// `hearth doctor` (reports) and the commands that write data (refuse).
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { FatalError } from "../errors.ts";

export const modeText = (mode: number) => (mode & 0o777).toString(8).padStart(4, "0");

export interface DataDirState {
  exists: boolean;
  /** A sentence with the fix, or null when fine. */
  ownerProblem: string | null;
  modeProblem: string | null;
  mode: number;
  uid: number;
}

export function inspectDataDir(dir: string): DataDirState {
  const path = resolve(dir);
  const uid = process.getuid?.() ?? -1;
  let st;
  try {
    st = statSync(path);
  } catch {
    return { exists: false, ownerProblem: null, modeProblem: null, mode: 0, uid };
  }
  if (!st.isDirectory()) throw new FatalError(`data directory ${path} is not a directory`);
  const ownerProblem =
    uid >= 0 && st.uid !== uid ? `data directory ${path} is owned by uid ${st.uid}, but Hearth runs as uid ${uid}; run: chown -R ${uid} ${path}` : null;
  const modeProblem =
    (st.mode & 0o022) !== 0 ? `data directory ${path} has mode ${modeText(st.mode)}, writable by others; run: chmod go-w ${path}` : null;
  return { exists: true, ownerProblem, modeProblem, mode: st.mode, uid };
}

/** Refuses, in one line, a data directory that belongs to someone else or that others can write. */
export function assertDataDirSafe(dir: string): void {
  const state = inspectDataDir(dir);
  const problem = state.ownerProblem ?? state.modeProblem;
  if (problem) throw new FatalError(problem);
}
