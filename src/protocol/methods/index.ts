// The method catalog: every `req` method's params and result schemas, aggregated from
// one file per domain (methods/<domain>.ts exports a record name → MethodSpec). The
// server validates params with these; the typed client derives request() types from them.
import type { Static, TSchema } from "@sinclair/typebox";
import { accountMethods } from "./accounts.ts";
import { callMethods } from "./calls.ts";
import { chatMethods } from "./chats.ts";
import { messageMethods } from "./messages.ts";
import { blockMethods } from "./blocks.ts";
import { inviteLinkMethods } from "./invite-links.ts";
import { reactionMethods } from "./reactions.ts";
import { presenceMethods } from "./presence.ts";
import { draftMethods } from "./drafts.ts";
import { pushMethods } from "./push.ts";
import { previewMethods } from "./previews.ts";
import { mediaMethods } from "./media.ts";
import { adminMethods } from "./admin.ts";
import { backupMethods } from "./backups.ts";
import { importMethods } from "./imports.ts";

export interface MethodSpec {
  params: TSchema;
  result: TSchema;
}

export const methods = { ...accountMethods, ...chatMethods, ...messageMethods, ...inviteLinkMethods, ...blockMethods, ...reactionMethods, ...draftMethods, ...callMethods, ...presenceMethods, ...pushMethods, ...mediaMethods, ...previewMethods, ...adminMethods, ...backupMethods, ...importMethods } as const satisfies Record<string, MethodSpec>;

export type Methods = typeof methods;
export type MethodName = keyof Methods & string;
export type ParamsOf<M extends MethodName> = Static<Methods[M]["params"]>;
export type ResultOf<M extends MethodName> = Static<Methods[M]["result"]>;
