// First step of `npm start` / `npm test`, run by the system Node (a fresh machine has
// only Node + npm). It makes sure node_modules/.bin/bun is the Bun pinned in
// package.json and that node_modules matches bun.lock; everything after it runs on Bun.
// Plain Node, no dependencies. Prints nothing when there is nothing to do.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pinned = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies.bun;
const localBun = join(root, "node_modules", ".bin", "bun");
const stampPath = join(root, "node_modules", ".hearth-lock-sha256");

function bunVersion(bin) {
  try {
    return execFileSync(bin, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

function lockHash() {
  return createHash("sha256").update(readFileSync(join(root, "bun.lock"))).digest("hex");
}

function step(msg) {
  process.stdout.write(`[bootstrap] ${msg}\n`);
}

// Installs the pinned Bun into a throwaway prefix with npm, so that Bun itself can then
// install the project (including its own pinned copy) from the lockfile.
function fetchBun() {
  const prefix = mkdtempSync(join(tmpdir(), "hearth-bun-"));
  step(`installing bun@${pinned} with npm (one time)…`);
  execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", prefix, `bun@${pinned}`], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  const bin = join(prefix, "node_modules", ".bin", "bun");
  if (bunVersion(bin) !== pinned) throw new Error(`npm installed a bun that does not run or is not ${pinned}`);
  return { bin, cleanup: () => rmSync(prefix, { recursive: true, force: true }) };
}

function bunInstall(bin) {
  step("installing dependencies from bun.lock…");
  execFileSync(bin, ["install", "--frozen-lockfile"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  // Bun blocks install scripts (trustedDependencies is empty), including the `bun`
  // package's own, which swaps its placeholder for the real binary; run just that one.
  if (bunVersion(localBun) !== pinned) {
    execFileSync("node", ["install.js"], { cwd: join(root, "node_modules", "bun"), stdio: ["ignore", "inherit", "inherit"] });
  }
  writeFileSync(stampPath, lockHash() + "\n");
}

function main() {
  if (bunVersion(localBun) !== pinned) {
    const fetched = fetchBun();
    try {
      bunInstall(fetched.bin);
    } finally {
      fetched.cleanup();
    }
    if (bunVersion(localBun) !== pinned) throw new Error(`node_modules/.bin/bun is still not ${pinned} after install`);
    return;
  }
  const stamp = existsSync(stampPath) ? readFileSync(stampPath, "utf8").trim() : "";
  if (stamp !== lockHash()) bunInstall(localBun);
}

try {
  main();
} catch (err) {
  process.stderr.write(`[bootstrap] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
