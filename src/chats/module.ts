// Chats and messages as the server sees them: WS methods, the welcome snapshot part (the
// most recently active chats with unread counts), and the retention sweeper (started when
// the server listens). src/compose.ts lists it.
import type { Deps } from "../core/deps.ts";
import type { DomainModule } from "../core/module.ts";
import { background } from "../core/background.ts";
import { AppError } from "../errors.ts";
import { startRetentionSweeper } from "../messages/expire.ts";
import { chatDifference } from "./difference.ts";
import { chatsSnapshot } from "./manage.ts";
import { featureMethodDefs } from "./feature-methods.ts";
import { chatMethodDefs, messageMethodDefs } from "./methods.ts";

export function chatsModule(deps: Deps): DomainModule {
  return {
    name: "chats",
    methods: [...chatMethodDefs(deps), ...messageMethodDefs(deps), ...featureMethodDefs(deps)],
    snapshot: (userId) => chatsSnapshot(deps, userId),
    // a resume skips a chat the user is no longer in: the user log's chat.left covers it
    chatDifference: (userId, chatId, afterPos) =>
      chatDifference(deps, userId, chatId, afterPos).catch((e) => {
        if (e instanceof AppError && e.code === "not_found") return null;
        throw e;
      }),
    ...background(() => startRetentionSweeper(deps)),
  };
}
