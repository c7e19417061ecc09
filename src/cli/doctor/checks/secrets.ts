import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { secretsDir } from "../../../secrets/store.ts";
import { type Check, type CheckResult, fail, modeText, ok, warn } from "../check.ts";

export const secretsCheck: Check = async ({ dataDir }) => {
  const dir = secretsDir(dataDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [warn("secrets", `${dir} does not exist yet (created on first start)`)];
  }
  const loose: string[] = [];
  for (const name of names) {
    const st = statSync(join(dir, name));
    if ((st.mode & 0o077) !== 0) loose.push(`${name} (mode ${modeText(st.mode)})`);
  }
  const results: CheckResult[] = [];
  const dirMode = statSync(dir).mode;
  if ((dirMode & 0o077) !== 0) results.push(fail("secrets dir", `${dir} has mode ${modeText(dirMode)}; run: chmod 700 ${dir}`));
  if (names.length === 0) results.push(warn("secrets", `${dir} is empty (secrets are created on start)`));
  else if (loose.length) results.push(fail("secrets", `readable by others: ${loose.join(", ")}; run: chmod 600 ${dir}/*`));
  else results.push(ok("secrets", `${names.length} file(s), all mode 0600 or stricter`));
  return results;
};
