// The storage contract against a real temp-file SQLite database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runStorageContract } from "../contract/index.ts";
import { openSqliteStorage } from "./storage.ts";

runStorageContract("sqlite", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hearth-sqlite-"));
  const storage = await openSqliteStorage({ file: join(dir, "hearth.sqlite"), durability: "normal" });
  return {
    storage,
    async cleanup() {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
