// Fetches a Debian source package with a PRIVATE apt configuration (its own
// sources list, lists and cache dirs under the build dir), so the machine's
// /etc/apt stays untouched and nothing is left behind.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./run.ts";

const defaultMirror = "http://deb.debian.org/debian";
const defaultKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

function codename(): string {
  const osRelease = existsSync("/etc/os-release") ? readFileSync("/etc/os-release", "utf8") : "";
  return /^VERSION_CODENAME=(\w+)/m.exec(osRelease)?.[1] ?? "bookworm";
}

/** The archive the machine already uses for its main suite (deb822 or one-line format). */
function systemMirror(suite: string): string {
  const dir = "/etc/apt/sources.list.d";
  const files = existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : [];
  for (const file of ["/etc/apt/sources.list", ...files]) {
    if (!existsSync(file) || !/(\.list|\.sources)$/.test(file)) continue;
    const text = readFileSync(file, "utf8");
    for (const para of text.split(/\n\s*\n/)) {
      const suites = /^Suites:\s*(.+)$/m.exec(para)?.[1]?.split(/\s+/) ?? [];
      const uri = /^URIs:\s*(\S+)/m.exec(para)?.[1];
      if (uri && suites.includes(suite) && /^Components:.*\bmain\b/m.test(para)) return uri;
    }
    const line = new RegExp(`^deb\\s+(?:\\[[^\\]]*\\]\\s+)?(\\S+)\\s+${suite}\\s+.*\\bmain\\b`, "m").exec(text);
    if (line?.[1]) return line[1];
  }
  return defaultMirror;
}

/** Downloads (no build, no install) the source package into `into`; returns its dir. */
export async function fetchDebianSource(pkg: string, workDir: string, logPath: string): Promise<string> {
  const suite = codename();
  const mirror = process.env.HEARTH_DEBIAN_MIRROR || systemMirror(suite);
  const apt = join(workDir, "apt");
  for (const d of ["lists/partial", "cache/archives/partial", "etc"]) mkdirSync(join(apt, d), { recursive: true });
  const signedBy = existsSync(defaultKeyring) ? `[signed-by=${defaultKeyring}] ` : "";
  writeFileSync(join(apt, "etc/sources.list"), `deb-src ${signedBy}${mirror} ${suite} main\n`);
  const opts = [
    `-oDir::Etc::SourceList=${join(apt, "etc/sources.list")}`,
    `-oDir::Etc::SourceParts=${join(apt, "etc")}`,
    `-oDir::State::Lists=${join(apt, "lists")}`,
    `-oDir::Cache=${join(apt, "cache")}`,
    // Our private dirs are not readable by apt's unprivileged `_apt` download user.
    ...(process.getuid?.() === 0 ? ["-oAPT::Sandbox::User=root"] : []),
  ];
  await run(["apt-get", ...opts, "update"], { logPath });
  const into = join(workDir, "source");
  mkdirSync(into, { recursive: true });
  await run(["apt-get", ...opts, "source", "--download-only", pkg], { logPath, cwd: into });
  return into;
}
