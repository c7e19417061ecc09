// Is the data directory safe to use? Root can write anywhere, so a write test proves
// nothing: the owner is compared with the uid Hearth runs as, explicitly. Shared by
// `hearth doctor` (reports) and the commands that write data (refuse).
import { lstatSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { FatalError } from "../errors.ts";

export const modeText = (mode: number) => (mode & 0o777).toString(8).padStart(4, "0");

export interface DataDirState {
  exists: boolean;
  /** A sentence with the fix, or null when fine. */
  ownerProblem: string | null;
  modeProblem: string | null;
  /** Group or others may read or enter it (Hearth creates it 0700). */
  accessProblem: string | null;
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
    return { exists: false, ownerProblem: null, modeProblem: null, accessProblem: null, mode: 0, uid };
  }
  if (!st.isDirectory()) throw new FatalError(`data directory ${path} is not a directory`);
  const ownerProblem =
    uid >= 0 && st.uid !== uid ? `data directory ${path} is owned by uid ${st.uid}, but Hearth runs as uid ${uid}; run: chown -R ${uid} ${path}` : null;
  const modeProblem =
    (st.mode & 0o022) !== 0 ? `data directory ${path} has mode ${modeText(st.mode)}, writable by others; run: chmod go-w ${path}` : null;
  const accessProblem =
    (st.mode & 0o077) !== 0 ? `data directory ${path} has mode ${modeText(st.mode)}: others can read it (TOTP secrets are encrypted, the rest is not); run: chmod 700 ${path}` : null;
  return { exists: true, ownerProblem, modeProblem, accessProblem, mode: st.mode, uid };
}

export interface LooseEntry {
  path: string;
  mode: number;
  dir: boolean;
}

/** Files and directories under `dir` that group or others can access (a bounded walk; symlinks are not followed). */
export function looseEntries(dir: string, entriesMax = 10_000): LooseEntry[] {
  const out: LooseEntry[] = [];
  let seen = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (++seen > entriesMax) return;
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) continue;
      if ((st.mode & 0o077) !== 0) out.push({ path: p, mode: st.mode, dir: st.isDirectory() });
      if (st.isDirectory()) walk(p);
    }
  };
  walk(resolve(dir));
  return out;
}

/** Refuses, in one line, a data directory that belongs to someone else or that others can write. */
export function assertDataDirSafe(dir: string): void {
  const state = inspectDataDir(dir);
  const problem = state.ownerProblem ?? state.modeProblem;
  if (problem) throw new FatalError(problem);
}
