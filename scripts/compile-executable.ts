// One `Bun.build --compile` of src/build-entry.gen.ts, run by build.ts in a child process
// (a fresh resolver: the web client may have been rebuilt with new file names a moment ago).
// Its plugin gives sharp ONE static require of the linux-x64 addon: sharp/lib/sharp.js finds
// its addon with a dynamic require loop that the bundler cannot follow, so a plain compile
// fails at run time. The arm64 executable gets no addon at all (images: unavailable there).
// Usage: bun scripts/compile-executable.ts <bun-linux-x64|bun-linux-arm64> <outfile> <bytecode: 1|0>
import type { BunPlugin } from "bun";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
export const sharpAddon = "@img/sharp-linux-x64/lib/sharp-linux-x64.node";

/** sharp/lib/sharp.js as the executable gets it: x64 one static require (its CPU check kept), arm64 none. */
export function sharpPlugin(arch: "x64" | "arm64"): BunPlugin {
  const x64 = [
    "// Replaced by scripts/compile-executable.ts: one static require of the linux-x64 addon.",
    `const sharp = require(${JSON.stringify(`../../${sharpAddon}`)});`,
    "if (!sharp._isUsingX64V2()) {",
    '  const err = new Error("Prebuilt binaries for linux-x64 require v2 microarchitecture");',
    '  err.code = "Unsupported CPU";',
    "  throw err;",
    "}",
    "module.exports = sharp;",
  ].join("\n");
  const none = 'throw new Error("this executable was built without the native image library (sharp)");';
  return {
    name: "hearth-sharp",
    setup(b) {
      b.onLoad({ filter: /[\\/]sharp[\\/]lib[\\/]sharp\.js$/ }, () => ({ loader: "js", contents: arch === "x64" ? x64 : none }));
    },
  };
}

async function compile(target: "bun-linux-x64" | "bun-linux-arm64", outfile: string, bytecode: boolean): Promise<boolean> {
  const result = await Bun.build({
    entrypoints: [join(root, "src", "build-entry.gen.ts")],
    compile: { target, outfile },
    target: "bun",
    format: "esm",
    bytecode,
    plugins: [sharpPlugin(target === "bun-linux-x64" ? "x64" : "arm64")],
    throw: false,
  });
  for (const log of result.logs) if (log.level === "error") console.error(log);
  return result.success;
}

if (import.meta.main) {
  const [target, outfile, bytecode] = process.argv.slice(2);
  if ((target !== "bun-linux-x64" && target !== "bun-linux-arm64") || !outfile) {
    console.error("usage: bun scripts/compile-executable.ts <bun-linux-x64|bun-linux-arm64> <outfile> <1|0>");
    process.exit(2);
  }
  process.exit((await compile(target, outfile, bytecode === "1")) ? 0 : 1);
}
