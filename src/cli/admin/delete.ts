// `hearth admin delete`: schedule an account's deletion from the shell (after the grace
// period, or due now with --now), or cancel one (--cancel). The purge itself is the
// server's sweeper (src/accounts/deletion.ts): it removes the blob files under the same
// locks as the media GC, so a running server purges a due account within
// limits.accountDeletionSweepMs, a stopped one when it next starts.
import { audit } from "../../accounts/audit.ts";
import { FatalError } from "../../errors.ts";
import type { Command } from "../command.ts";
import { findUser, plural, withStorage } from "../storage.ts";

export const deleteCommand: Command = {
  name: "admin delete",
  summary: "Schedule an account's deletion and sign it out everywhere (--now: due at once; --cancel undoes it)",
  args: [{ name: "username", required: true, desc: "The account" }],
  flags: {
    now: { type: "boolean", desc: "Due now: the server purges it at its next sweep (within a minute, or when it starts)" },
    cancel: { type: "boolean", desc: "Cancel a scheduled deletion instead" },
  },
  examples: ["hearth admin delete mallory", "hearth admin delete mallory --now", "hearth admin delete mallory --cancel"],
  async run({ positionals, flags, globals }) {
    const cancel = flags.cancel === true;
    if (cancel && flags.now === true) throw new FatalError("--now and --cancel contradict each other: give one");
    const line = await withStorage(globals, async (storage, config) => {
      const user = await findUser(storage, positionals[0]!);
      if (cancel) {
        if (!user.deletion) throw new FatalError(`${user.username} is not scheduled for deletion`);
        await storage.deletions.cancel(user.id);
        await audit({ storage, now: Date.now }, null, "user.delete_cancel", user.username);
        return `kept ${user.username}: the deletion is cancelled`;
      }
      const at = Date.now() + (flags.now === true ? 0 : config.accounts.deletionGraceMs);
      const { revokedSessionIds } = await storage.deletions.schedule(user.id, { at, by: "admin" });
      await audit({ storage, now: Date.now }, null, "user.delete", user.username, flags.now === true ? "due now" : `purge at ${new Date(at).toISOString()}`);
      return `${user.username} will be deleted at ${new Date(at).toISOString()}; ${plural(revokedSessionIds.length, "session")} signed out`;
    });
    process.stdout.write(`${line}\n`);
    return 0;
  },
};
