import type { CommandGroup } from "../command.ts";
import { createUserCommand } from "./create-user.ts";
import { deleteCommand } from "./delete.ts";
import { disableCommand } from "./disable.ts";
import { ipblockCommand } from "./ipblock.ts";
import { mediaCommand } from "./media.ts";
import { promoteCommand } from "./promote.ts";
import { resetPasswordCommand } from "./reset-password.ts";

export const adminGroup: CommandGroup = {
  name: "admin",
  summary: "Manage accounts from the server's shell",
  commands: [createUserCommand, resetPasswordCommand, promoteCommand, disableCommand, deleteCommand, mediaCommand, ipblockCommand],
};
