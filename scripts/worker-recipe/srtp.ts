// libsrtp2, rebuilt static with OpenSSL crypto. Debian's own libsrtp2 is linked
// against NSS, which ships no static archives, so it cannot go into a static
// worker. We take the upstream tarball from Debian's source package (same bytes
// as upstream v2.5.0, pinned by hash) and build only the library.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FatalError } from "../../src/errors.ts";
import { fetchDebianSource } from "./debian-source.ts";
import { run } from "./run.ts";

export const srtpSource = {
  debianPackage: "libsrtp2",
  tarball: "libsrtp2_2.5.0.orig.tar.gz",
  sha256: "8a43ef8e9ae2b665292591af62aa1a4ae41e468b6d98d8258f91478735da4e09",
  dir: "libsrtp-2.5.0",
} as const;

/** Options matching mediasoup's own libsrtp2 subproject, plus a static archive. */
export const srtpMesonOptions = [
  "--buildtype=release",
  "-Dcrypto-library=openssl",
  "-Dcrypto-library-kdf=disabled",
  "-Ddefault_library=static",
  "-Dtests=disabled",
  "-Db_staticpic=true",
] as const;

export async function fetchSrtp(workDir: string, logPath: string): Promise<string> {
  const downloads = await fetchDebianSource(srtpSource.debianPackage, workDir, logPath);
  const tarball = join(downloads, srtpSource.tarball);
  const actual = createHash("sha256").update(readFileSync(tarball)).digest("hex");
  if (actual !== srtpSource.sha256) {
    throw new FatalError(`${tarball}: sha256 ${actual}, expected ${srtpSource.sha256} (Debian's libsrtp2 changed? update the recipe)`);
  }
  await run(["tar", "-xzf", tarball, "-C", workDir], { logPath });
  return join(workDir, srtpSource.dir);
}

/** Builds and installs into <workDir>/srtp-prefix; returns the pkg-config dir to use. */
export async function buildSrtp(srcDir: string, workDir: string, logPath: string): Promise<string> {
  const prefix = join(workDir, "srtp-prefix");
  await run(["meson", "setup", "build", `--prefix=${prefix}`, "--libdir=lib", ...srtpMesonOptions], { cwd: srcDir, logPath });
  await run(["ninja", "-C", "build", "install"], { cwd: srcDir, logPath });
  return join(prefix, "lib", "pkgconfig");
}
