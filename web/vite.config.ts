// Builds the Solid web client into web/dist (served by src/server/static.ts, embedded
// into the executable by build.ts). Hashed file names under /assets make them cacheable forever.
// The build prints the gzipped size of its JS and CSS: the performance budget.
import { gzipSync } from "node:zlib";
import { defineConfig, type Plugin } from "vite";
import solid from "vite-plugin-solid";

/** Gzipped bytes of every JS and CSS chunk, and their totals (console.log: shown at any log level). */
function gzipReport(): Plugin {
  return {
    name: "hearth-gzip-report",
    apply: "build",
    generateBundle(_options, bundle) {
      const totals = { js: 0, css: 0 };
      const lines: string[] = [];
      for (const [name, chunk] of Object.entries(bundle)) {
        const kind = name.endsWith(".js") ? "js" : name.endsWith(".css") ? "css" : null;
        if (!kind) continue;
        const source = chunk.type === "chunk" ? chunk.code : chunk.source;
        const gz = gzipSync(typeof source === "string" ? source : Buffer.from(source), { level: 9 }).length;
        totals[kind] += gz;
        lines.push(`  ${name}  ${(gz / 1024).toFixed(1)} KiB gzipped`);
      }
      console.log(`web client size:\n${lines.join("\n")}\n  total JS ${(totals.js / 1024).toFixed(1)} KiB gzipped, CSS ${(totals.css / 1024).toFixed(1)} KiB gzipped`);
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [solid(), gzipReport()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    target: "es2022",
    sourcemap: false,
  },
  server: {
    // `bunx vite web` during development talks to a server started with `npm start`.
    proxy: { "/api": "http://localhost:8080", "/ws": { target: "ws://localhost:8080", ws: true } },
  },
});
