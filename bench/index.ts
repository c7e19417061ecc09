// `bun run bench <name> [args]` (npm run bench <name>): runs bench/<name>.ts in its own
// process, so each benchmark starts from a quiet runtime. `storage` also measures the
// compiled executable's cold start, as the storage issue asks for both.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const dir = import.meta.dir;
const suites: Record<string, string[]> = { storage: ["storage", "cold-start"] };

function available(): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && f !== "index.ts" && !f.endsWith(".test.ts"))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function runOne(name: string, args: string[]): Promise<number> {
  const file = join(dir, `${name}.ts`);
  if (!existsSync(file)) {
    console.error(`bench: no benchmark "${name}"; available: ${available().join(", ")}`);
    return 2;
  }
  console.log(`\n=== bench ${name} ===`);
  const proc = Bun.spawn([process.execPath, file, ...args], { stdio: ["inherit", "inherit", "inherit"] });
  return proc.exited;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help") {
    console.log(`usage: bun run bench <name> [args]\navailable: ${available().join(", ")}`);
    return name ? 0 : 2;
  }
  for (const part of suites[name] ?? [name]) {
    const code = await runOne(part, args);
    if (code !== 0) return code;
  }
  return 0;
}

process.exit(await main(process.argv.slice(2)));
