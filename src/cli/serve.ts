// `hearth serve` (also what plain `hearth` does): load the configuration and run the
// server until a signal stops it. The composition root owns everything after config.
import { resolveConfig } from "../config/load.ts";
import type { Command } from "./command.ts";
import { assertDataDirSafe } from "./data-dir.ts";
import { assertPortsFree } from "./ports.ts";

export const serveCommand: Command = {
  name: "serve",
  summary: "Run the server (the default when no command is given)",
  details: "Creates the data directory, secrets and database on first start, applies pending migrations, and serves until SIGINT/SIGTERM.",
  examples: ["hearth", "hearth serve --port 8080 --data /var/lib/hearth", "hearth serve --config /etc/hearth.toml --set log.level=debug"],
  async run({ globals }) {
    const config = resolveConfig(globals);
    assertDataDirSafe(config.data.dir);
    await assertPortsFree(config);
    const { serve } = await import("../serve.ts");
    await serve(config);
    return null;
  },
};
