import { audit } from "../../accounts/audit.ts";
import type { Command } from "../command.ts";
import { findUser, plural, withStorage } from "../storage.ts";

export const disableCommand: Command = {
  name: "admin disable",
  summary: "Disable an account and sign it out everywhere (--enable undoes it)",
  args: [{ name: "username", required: true, desc: "The account" }],
  flags: { enable: { type: "boolean", desc: "Enable the account again instead" } },
  examples: ["hearth admin disable mallory", "hearth admin disable mallory --enable"],
  async run({ positionals, flags, globals }) {
    const enable = flags.enable === true;
    const { username, revoked } = await withStorage(globals, async (storage) => {
      const user = await findUser(storage, positionals[0]!);
      const { revokedSessionIds } = await storage.users.setDisabled(user.id, !enable);
      await audit({ storage, now: Date.now }, null, enable ? "user.enable" : "user.disable", user.username, enable ? "" : `${revokedSessionIds.length} sessions signed out`);
      return { username: user.username, revoked: revokedSessionIds.length };
    });
    process.stdout.write(enable ? `enabled ${username}\n` : `disabled ${username}; ${plural(revoked, "session")} signed out\n`);
    return 0;
  },
};
