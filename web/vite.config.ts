// Builds the Solid web client into web/dist (served by src/server/static.ts, embedded
// into the executable by build.ts). Hashed file names under /assets make them cacheable forever.
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [solid()],
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
