// The storage contract: ONE suite every adapter (SQLite now, PostgreSQL later, and any
// decorator) must pass unchanged. It talks only to the Storage port — no SQL — and
// asserts semantics and typed error codes the domain relies on.
//
//   runStorageContract("sqlite", async () => ({ storage, cleanup }))
import { afterEach, beforeEach, describe } from "bun:test";
import type { Storage } from "../port.ts";
import { accountsContract } from "./accounts.ts";
import { adminContract } from "./admin.ts";
import { chatLogContract } from "./chat-log.ts";
import { chatsContract } from "./chats.ts";
import { chatFeaturesContract } from "./chat-features.ts";
import { deletionsContract } from "./deletions.ts";
import { draftsContract } from "./drafts.ts";
import { eventsContract } from "./events.ts";
import { metaContract } from "./meta.ts";
import { presenceContract } from "./presence.ts";
import { retentionContract } from "./retention.ts";
import { pushContract } from "./push.ts";
import { previewsContract } from "./previews.ts";
import { mediaContract } from "./media.ts";
import { importsContract } from "./imports.ts";
import { sessionsContract } from "./sessions.ts";
import { usersContract } from "./users.ts";
import { writeEventsContract } from "./write-events.ts";
import { writesContract } from "./writes.ts";

export type MakeStorage = () => Promise<{ storage: Storage; cleanup(): Promise<void> }>;

export function runStorageContract(name: string, make: MakeStorage): void {
  describe(`storage contract: ${name}`, () => {
    let current: Awaited<ReturnType<MakeStorage>> | null = null;
    beforeEach(async () => {
      current = await make();
    });
    afterEach(async () => {
      await current?.cleanup();
      current = null;
    });
    const get = (): Storage => {
      if (!current) throw new Error("BUG: storage used outside a test");
      return current.storage;
    };
    usersContract(get);
    adminContract(get);
    sessionsContract(get);
    chatLogContract(get);
    accountsContract(get);
    eventsContract(get);
    writesContract(get);
    writeEventsContract(get);
    metaContract(get);
    chatsContract(get);
    chatFeaturesContract(get);
    draftsContract(get);
    retentionContract(get);
    presenceContract(get);
    pushContract(get);
    previewsContract(get);
    mediaContract(get);
    deletionsContract(get);
    importsContract(get);
  });
}
