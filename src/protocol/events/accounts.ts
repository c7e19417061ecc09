// Events of the accounts domain (`events` frames carry {id, type, data, at}):
// type → TypeBox schema of `data`. Applying them to a `welcome.snapshot.accounts`
// ({ me }) gives what a fresh snapshot would show.
import { type Static, Type } from "@sinclair/typebox";
import { MeSchema, PublicUserSchema } from "../methods/accounts.ts";

export const accountEvents = {
  /** A user's public profile changed (sent to the user; later also to people sharing a chat). */
  "user.updated": Type.Object({ user: PublicUserSchema }),
  /** The user signed in on a device (login, registration, owner claim): device lists refresh. */
  "session.created": Type.Object({ sessionId: Type.String(), deviceName: Type.String() }),
  /** One of the user's sessions was revoked (logout, revoke, password change, theft detection). */
  "session.revoked": Type.Object({ sessionId: Type.String() }),
  /** Two-factor authentication was enabled or disabled (sets snapshot me.totpEnabled). */
  "twofactor.updated": Type.Object({ enabled: Type.Boolean() }),
} as const;

export type AccountEventType = keyof typeof accountEvents;
export type AccountEventData<T extends AccountEventType> = Static<(typeof accountEvents)[T]>;

/** Snapshot part of the accounts module in `welcome.snapshot.accounts`. */
export const AccountsSnapshotSchema = Type.Object({ me: MeSchema });
