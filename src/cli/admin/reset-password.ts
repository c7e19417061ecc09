import { audit } from "../../accounts/audit.ts";
import { generatePassword, hashPassword } from "../../accounts/passwords.ts";
import { validatePassword } from "../../accounts/validate.ts";
import type { Command } from "../command.ts";
import { readPasswordStdin } from "../prompt.ts";
import { findUser, plural, withStorage } from "../storage.ts";

export const resetPasswordCommand: Command = {
  name: "admin reset-password",
  summary: "Set a new password and sign the account out everywhere",
  args: [{ name: "username", required: true, desc: "The account" }],
  flags: {
    "password-stdin": { type: "boolean", desc: "Read the new password from standard input instead of generating one" },
  },
  details: "Without --password-stdin a random password is generated and printed once; hand it over safely.",
  examples: ["hearth admin reset-password alice", "printf '%s\\n' \"$NEW\" | hearth admin reset-password alice --password-stdin"],
  async run({ positionals, flags, globals }) {
    const generated = flags["password-stdin"] ? null : generatePassword();
    const password = generated ?? validatePassword(await readPasswordStdin());
    const passwordHash = await hashPassword(password);
    const { username, revoked } = await withStorage(globals, async (storage) => {
      const user = await findUser(storage, positionals[0]!);
      const revoked = (await storage.users.setPassword(user.id, passwordHash, null)).value;
      await audit({ storage, now: Date.now }, null, "user.reset_password", user.username, `${revoked.length} sessions signed out`);
      return { username: user.username, revoked };
    });
    const lines = [`password of ${username} reset; ${plural(revoked.length, "session")} signed out`];
    if (generated) lines.push(`new password: ${generated}`);
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
};
