// Root can write anywhere, so "can we write?" proves nothing: compare the owner with
// the uid Hearth runs as, explicitly.
import { statSync } from "node:fs";
import { type Check, fail, modeText, ok, warn } from "../check.ts";

export const dataDirCheck: Check = async ({ dataDir }) => {
  let st;
  try {
    st = statSync(dataDir);
  } catch {
    return [warn("data dir", `${dataDir} does not exist yet (created on first start)`)];
  }
  if (!st.isDirectory()) return [fail("data dir", `${dataDir} is not a directory`)];
  const results = [ok("data dir", `${dataDir} exists`)];
  const uid = process.getuid?.() ?? st.uid;
  results.push(
    st.uid === uid
      ? ok("data dir owner", `uid ${uid}, the uid Hearth runs as`)
      : fail("data dir owner", `owned by uid ${st.uid}, but Hearth runs as uid ${uid}; run: chown -R ${uid} ${dataDir}`),
  );
  results.push(
    (st.mode & 0o022) === 0
      ? ok("data dir permissions", `mode ${modeText(st.mode)}`)
      : fail("data dir permissions", `mode ${modeText(st.mode)} lets others write; run: chmod go-w ${dataDir}`),
  );
  return results;
};
