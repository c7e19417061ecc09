import { hashPassword } from "../../accounts/passwords.ts";
import { validateDisplayName, validatePassword, validateUsername } from "../../accounts/validate.ts";
import { AppError, FatalError } from "../../errors.ts";
import { newId } from "../../ids.ts";
import type { Role } from "../../storage/port.ts";
import { type Command, stringFlag, UsageError } from "../command.ts";
import { askNewPassword, readPasswordStdin } from "../prompt.ts";
import { withStorage } from "../storage.ts";

const roles: readonly Role[] = ["owner", "admin", "member"];

export const createUserCommand: Command = {
  name: "admin create-user",
  summary: "Create an account (asks for its password, or reads it from stdin)",
  args: [{ name: "username", required: true, desc: "3–32 letters, digits, _ . -" }],
  flags: {
    "password-stdin": { type: "boolean", desc: "Read the password from standard input instead of asking" },
    role: { type: "string", value: "owner|admin|member", desc: "Role of the new account (default member)" },
    "display-name": { type: "string", value: "name", desc: "Name shown to others (default: the username)" },
  },
  examples: [
    "hearth admin create-user alice --role owner",
    "printf '%s\\n' \"$PASSWORD\" | hearth admin create-user bob --password-stdin --display-name 'Bob B.'",
  ],
  async run({ positionals, flags, globals }) {
    const role = (stringFlag(flags, "role") ?? "member") as Role;
    if (!roles.includes(role)) throw new UsageError(`--role must be one of ${roles.join(", ")}`, this.name);
    const username = validateUsername(positionals[0]);
    const displayName = validateDisplayName(stringFlag(flags, "display-name") ?? username);
    const password = validatePassword(flags["password-stdin"] ? await readPasswordStdin() : await askNewPassword());
    const passwordHash = await hashPassword(password);
    await withStorage(globals, async (storage) => {
      try {
        await storage.users.create({ id: newId(), username, displayName, passwordHash, role, createdAt: Date.now() });
      } catch (err) {
        if (err instanceof AppError && err.code === "username_taken") throw new FatalError(`username "${username}" is taken`);
        throw err;
      }
    });
    process.stdout.write(`created ${role} ${username}\n`);
    return 0;
  },
};
