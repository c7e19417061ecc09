import { audit } from "../../accounts/audit.ts";
import { FatalError } from "../../errors.ts";
import type { Role } from "../../storage/port.ts";
import { type Command, stringFlag, UsageError } from "../command.ts";
import { findUser, withStorage } from "../storage.ts";

const roles: readonly Role[] = ["admin", "owner"];

export const promoteCommand: Command = {
  name: "admin promote",
  summary: "Give an account the admin (default) or owner role",
  args: [{ name: "username", required: true, desc: "The account" }],
  flags: { role: { type: "string", value: "admin|owner", desc: "Role to give (default admin)" } },
  examples: ["hearth admin promote alice", "hearth admin promote alice --role owner"],
  async run({ positionals, flags, globals }) {
    const role = (stringFlag(flags, "role") ?? "admin") as Role;
    if (!roles.includes(role)) throw new UsageError(`--role must be one of ${roles.join(", ")}`, this.name);
    const username = await withStorage(globals, async (storage) => {
      const user = await findUser(storage, positionals[0]!);
      // "promote" never lowers: an owner asked to become admin stays owner.
      if (user.role === role || (user.role === "owner" && role === "admin")) {
        throw new FatalError(`${user.username} is already ${user.role}; nothing changed`);
      }
      await storage.users.setRole(user.id, role);
      await audit({ storage, now: Date.now }, null, role === "member" ? "user.demote" : "user.promote", user.username, role === "owner" ? "to owner" : "");
      return user.username;
    });
    process.stdout.write(`${username} is now ${role}\n`);
    return 0;
  },
};
