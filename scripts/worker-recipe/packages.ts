// Makes sure the Debian packages the build needs are installed: as root it
// installs them; otherwise it says exactly which command to run.
import { FatalError } from "../../src/errors.ts";
import { installedVersions, requiredPackages } from "./key.ts";
import { run } from "./run.ts";

export function installCommand(missing: readonly string[]): string[] {
  return ["apt-get", "install", "-y", "--no-install-recommends", ...missing];
}

export async function ensurePackages(log: (line: string) => void, logPath: string, packages: readonly string[] = requiredPackages): Promise<void> {
  const { missing } = installedVersions(packages);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new FatalError(`the mediasoup worker build needs Debian packages; run: sudo ${installCommand(missing).join(" ")}`);
  }
  log(`installing ${missing.join(" ")} (apt-get)`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  // A fresh machine (or container) may have empty package lists: refresh first.
  await run(["apt-get", "update"], { logPath, env });
  await run(installCommand(missing), { logPath, env });
  const still = installedVersions(packages).missing;
  if (still.length > 0) throw new FatalError(`apt-get did not install: ${still.join(" ")} (see ${logPath})`);
}
