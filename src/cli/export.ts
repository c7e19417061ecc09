// `hearth export --user <name> <file>`: the same archive a user downloads from the server
// (src/exports/), written from the server's shell — safe while the server runs (reads only).
import { existsSync, renameSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { resolve } from "node:path";
import { FatalError } from "../errors.ts";
import { type Command, stringFlag, UsageError } from "./command.ts";
import { findUser, withStorage } from "./storage.ts";

export const exportCommand: Command = {
  name: "export",
  summary: "Write one person's data (profile, their chats, the messages they wrote, their files, an index.html) to a tar archive",
  args: [{ name: "file", required: true, desc: "The archive to write (.tar); must not exist" }],
  flags: { user: { type: "string", value: "username", desc: "Whose data (required)" } },
  details: "What is in it: docs/operations.md, \"Data export\". Unpack with `tar -xf <file>` and open index.html.",
  examples: ["hearth export --user alice /tmp/alice.tar"],
  async run({ positionals, flags, globals }) {
    const username = stringFlag(flags, "user");
    if (!username) throw new UsageError("hearth export needs --user <username>", "export");
    const target = resolve(positionals[0]!);
    if (existsSync(target)) throw new FatalError(`${target} already exists; choose a new file name`);
    const partial = `${target}.partial`;
    const { startExport } = await import("../exports/export.ts");
    const bytes = await withStorage(globals, async (storage, config) => {
      const user = await findUser(storage, username);
      const started = startExport({ storage, dataDir: config.data.dir, now: Date.now }, user, "cli");
      const fh = await open(partial, "wx", 0o600);
      let n = 0;
      try {
        for await (const chunk of started.chunks) {
          await fh.write(chunk);
          n += chunk.byteLength;
        }
        await fh.sync();
      } catch (err) {
        await fh.close();
        rmSync(partial, { force: true });
        throw new FatalError(`export of ${username} failed: ${(err as Error).message}; nothing was written`);
      }
      await fh.close();
      return n;
    });
    renameSync(partial, target);
    process.stdout.write(`exported ${username} to ${target} (${bytes} bytes)\n`);
    return 0;
  },
};
