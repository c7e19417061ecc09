// The arm64 libraries the cross-built worker links, as a private sysroot: Debian's own
// arm64 .deb files from the machine's Debian suites (security updates included), fetched
// with a private apt configuration (its own sources, lists and cache under the build
// dir, APT::Architecture=arm64) and unpacked with dpkg-deb. The machine's dpkg database
// and /etc/apt are never touched. The archive keeps only the newest version of each
// package, so the build takes those and records exactly which (name, version, sha256)
// beside the cached binary; the cache key moves with the installed x86-64 versions of the
// same libraries, so a security update there rebuilds the arm64 worker too.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FatalError } from "../../src/errors.ts";
import { capture, run } from "./run.ts";

/** Libraries (with headers, static archives and .pc files) linked into the worker. */
export const sysrootPackages = ["libssl-dev", "libuv1-dev", "libabsl-dev", "libusrsctp-dev", "libflatbuffers-dev"] as const;

const debianKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

interface AptSource {
  uri: string;
  suite: string;
  signedBy?: string;
}

/** The machine's Debian `main` sources (deb822 or one-line), to be asked for arm64 instead. */
export function debianSources(files: { path: string; text: string }[]): AptSource[] {
  const out: AptSource[] = [];
  for (const { path, text } of files) {
    if (path.endsWith(".sources")) {
      for (const para of text.split(/\n\s*\n/)) {
        const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, "m").exec(para)?.[1]?.trim();
        if (!/\bdeb\b/.test(field("Types") ?? "") || !/\bmain\b/.test(field("Components") ?? "")) continue;
        const uri = field("URIs")?.split(/\s+/)[0];
        const signedBy = field("Signed-By");
        if (!uri || !/debian/.test(uri)) continue;
        for (const suite of field("Suites")?.split(/\s+/) ?? []) out.push({ uri, suite, signedBy });
      }
    } else {
      for (const line of text.split("\n")) {
        const m = /^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s+(.*)$/.exec(line.trim());
        if (!m || !/\bmain\b/.test(m[4]!) || !/debian/.test(m[2]!)) continue;
        const signedBy = /signed-by=(\S+)/.exec(m[1] ?? "")?.[1];
        out.push({ uri: m[2]!, suite: m[3]!, signedBy });
      }
    }
  }
  return out;
}

function machineSources(): AptSource[] {
  const dir = "/etc/apt/sources.list.d";
  const paths = ["/etc/apt/sources.list", ...(existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : [])];
  const files = paths.filter((p) => existsSync(p) && /(\.list|\.sources)$/.test(p)).map((path) => ({ path, text: readFileSync(path, "utf8") }));
  const found = debianSources(files);
  if (found.length === 0) throw new FatalError("no Debian `main` apt source found in /etc/apt to fetch arm64 libraries from");
  return found;
}

export function sourcesList(sources: AptSource[]): string {
  return sources
    .map(({ uri, suite, signedBy }) => {
      const keyring = signedBy ?? (existsSync(debianKeyring) ? debianKeyring : undefined);
      return `deb [arch=arm64${keyring ? ` signed-by=${keyring}` : ""}] ${uri} ${suite} main\n`;
    })
    .join("");
}

export interface Sysroot {
  dir: string;
  /** `name version sha256` of every unpacked .deb, for the record beside the binary. */
  packages: string[];
}

/** Downloads and unpacks the arm64 packages into <workDir>/sysroot. */
export async function buildSysroot(workDir: string, logPath: string): Promise<Sysroot> {
  const apt = join(workDir, "apt-arm64");
  for (const d of ["lists/partial", "cache/archives/partial", "etc", "debs"]) mkdirSync(join(apt, d), { recursive: true });
  writeFileSync(join(apt, "etc/sources.list"), sourcesList(machineSources()));
  const opts = [
    "-oAPT::Architecture=arm64",
    "-oAPT::Architectures::=arm64",
    `-oDir::Etc::SourceList=${join(apt, "etc/sources.list")}`,
    `-oDir::Etc::SourceParts=${join(apt, "etc")}`,
    `-oDir::State::Lists=${join(apt, "lists")}`,
    `-oDir::Cache=${join(apt, "cache")}`,
    // Our private dirs are not readable by apt's unprivileged `_apt` download user.
    ...(process.getuid?.() === 0 ? ["-oAPT::Sandbox::User=root"] : []),
  ];
  await run(["apt-get", ...opts, "update"], { logPath });
  const debs = join(apt, "debs");
  await run(["apt-get", ...opts, "download", ...sysrootPackages], { logPath, cwd: debs });
  const dir = join(workDir, "sysroot");
  mkdirSync(dir, { recursive: true });
  const packages: string[] = [];
  for (const deb of readdirSync(debs).filter((f) => f.endsWith(".deb")).sort()) {
    const path = join(debs, deb);
    const fields = capture(["dpkg-deb", "-f", path, "Package", "Version", "Architecture"]).out;
    const field = (name: string) => new RegExp(`^${name}: (.+)$`, "m").exec(fields)?.[1] ?? "?";
    if (field("Architecture") !== "arm64" && field("Architecture") !== "all") throw new FatalError(`${deb} is for ${field("Architecture")}, not arm64`);
    packages.push(`${field("Package")} ${field("Version")} ${createHash("sha256").update(readFileSync(path)).digest("hex")}`);
    await run(["dpkg-deb", "-x", path, dir], { logPath });
    if (field("Package") === "libflatbuffers-dev") writeFlatbuffersPc(dir, field("Version"));
  }
  return { dir, packages };
}

/**
 * Debian's libflatbuffers-dev describes itself to CMake only; the x86-64 build finds it
 * through CMake, but a cross build has no CMake toolchain, so the sysroot gets the
 * equivalent pkg-config file (same library, headers and upstream version).
 */
function writeFlatbuffersPc(sysroot: string, debianVersion: string): void {
  const pcDir = join(sysroot, "usr/lib/aarch64-linux-gnu/pkgconfig");
  if (existsSync(join(pcDir, "flatbuffers.pc"))) return;
  mkdirSync(pcDir, { recursive: true });
  const version = debianVersion.replace(/^\d+:/, "").split(/[+-]/)[0];
  writeFileSync(
    join(pcDir, "flatbuffers.pc"),
    ["prefix=/usr", "libdir=${prefix}/lib/aarch64-linux-gnu", "includedir=${prefix}/include", "", "Name: FlatBuffers", "Description: Memory Efficient Serialization Library", `Version: ${version}`, "Libs: -L${libdir} -lflatbuffers", "Cflags: -I${includedir}", ""].join("\n"),
  );
}
