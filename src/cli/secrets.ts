import { resolveConfig } from "../config/load.ts";
import { SECRET_NAMES } from "../secrets/secrets.ts";
import { rotateSecret } from "../secrets/store.ts";
import type { Command, CommandGroup } from "./command.ts";

const rotateCommand: Command = {
  name: "secrets rotate",
  summary: "Replace one secret with a fresh random value",
  args: [{ name: "name", required: true, desc: `One of: ${SECRET_NAMES.join(", ")}` }],
  details:
    "Only the named secret file changes. The server reads secrets at start: restart it afterwards.\n" +
    "Rotating access-token-key makes every client fetch a new access token (nobody is signed out).\n" +
    "Rotating totp-key keeps the old key as totp-key.retired-<id>; the next start re-encrypts every\n" +
    "two-factor secret with the new key and then deletes the retired one. Stop the server first.\n" +
    "Rotating vapid-key (Web Push) drops every push subscription at the next start; browsers\n" +
    "subscribe again with the new key the next time the app runs (until then, no pushes).",
  examples: ["hearth secrets rotate access-token-key", "systemctl stop hearth && hearth secrets rotate totp-key && systemctl start hearth"],
  async run({ positionals, globals }) {
    const config = resolveConfig(globals);
    rotateSecret(config.data.dir, positionals[0]!);
    process.stdout.write(`rotated ${positionals[0]}; restart the server to use it\n`);
    return 0;
  },
};

export const secretsGroup: CommandGroup = {
  name: "secrets",
  summary: "Manage the server's secrets in <data>/secrets",
  commands: [rotateCommand],
};
