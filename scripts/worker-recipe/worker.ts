// Compiles mediasoup-worker from a patched COPY of the npm package's source
// (node_modules stays untouched) into a fully static executable.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { workerPatches } from "./patch.ts";
import { run, type RunOpts } from "./run.ts";

/**
 * mediasoup's Release options, except: PIE off and `-static` (a static-pie build
 * produced a broken binary), liburing off (not packaged statically), and meson
 * wraps may never download (there is no internet here).
 */
export const workerMesonOptions = [
  "--buildtype=release",
  "-Db_ndebug=true",
  "-Db_pie=false",
  "-Db_staticpic=true",
  "-Dms_disable_liburing=true",
  "-Dc_link_args=-static",
  "-Dcpp_link_args=-static",
  "--wrap-mode=nodownload",
] as const;

export function copyAndPatch(sourceDir: string, workDir: string): string {
  const dest = join(workDir, "worker");
  cpSync(sourceDir, dest, { recursive: true });
  for (const [path, patch] of workerPatches) {
    const file = join(dest, path);
    writeFileSync(file, patch(readFileSync(file, "utf8")));
  }
  return dest;
}

export async function configure(workerDir: string, pkgConfigDir: string, logPath: string): Promise<void> {
  const env = { PKG_CONFIG_PATH: [pkgConfigDir, process.env.PKG_CONFIG_PATH].filter(Boolean).join(":") };
  await run(["meson", "setup", "build", ...workerMesonOptions], { cwd: workerDir, env, logPath });
}

/** FlatBuffers headers first: libwebrtc includes FBS/*.h but does not depend on their generation. */
export async function compile(workerDir: string, opts: Pick<RunOpts, "logPath" | "onProgress">): Promise<string> {
  await run(["ninja", "-C", "build", "fbs/FBS"], { cwd: workerDir, ...opts });
  await run(["ninja", "-C", "build", "mediasoup-worker"], { cwd: workerDir, ...opts });
  return join(workerDir, "build", "mediasoup-worker");
}
