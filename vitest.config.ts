// vitest runs only the web client's unit tests (server suites run under `bun test`).
// It must run under Bun (`bun --bun vitest run`): vitest 5 needs a newer Node than 20,
// and the default `forks` pool fails under Bun, so `threads` it is.
import { defineConfig } from "vitest/config";
import solid from "vite-plugin-solid";

export default defineConfig({
  plugins: [solid()],
  test: {
    pool: "threads",
    environment: "node", // the unit tests cover plain logic; no DOM library is installed
    include: ["web/**/*.test.{ts,tsx}"],
    exclude: ["web/dist/**", "**/node_modules/**"],
  },
});
