// The notifications part of the storage port: Web Push subscriptions (one per session)
// and each user's global notification settings. Per-chat level and mute live on the
// membership (chats-port.ts Membership.notifyLevel / muteUntil).
//
// Invariant every adapter keeps (asserted by the contract suite): a subscription never
// outlives its session — revoking the session (sign-out, session.revoke, password
// change, reset, disabling, refresh-token theft) removes it in the same transaction.
import type { NotifyLevel } from "./chats-port.ts";
import type { Committed, WriteOpts } from "./port.ts";

export interface PushSubscriptionRow {
  sessionId: string;
  userId: string;
  endpoint: string;
  p256dh: string; // base64url
  auth: string; // base64url
  keyId: string; // the VAPID public key it was made for (rotation drops the others)
  createdAt: number;
}

export interface DndSchedule {
  startMin: number;
  endMin: number;
  days: number[];
  tz: string;
}

export interface NotifySettings {
  dnd: { until: number | null; schedule: DndSchedule | null };
  callsBypassDnd: boolean;
  allMentionsNotify: boolean;
  hideContent: boolean;
}

export const DEFAULT_NOTIFY: NotifySettings = {
  dnd: { until: null, schedule: null },
  callsBypassDnd: false,
  allMentionsNotify: true,
  hideContent: false,
};

/** A chat member who could get a push: has at least one subscription. */
export interface PushAudienceMember {
  userId: string;
  notifyLevel: NotifyLevel;
  muteUntil: number | null;
}

export interface PushStore {
  /**
   * Binds a subscription to its session, replacing the session's earlier one and any row
   * with the same endpoint (a browser signed in again). not_found if the session is not
   * live; limit_exceeded never (one per session, sessions are bounded).
   */
  subscribe(sub: PushSubscriptionRow): Promise<void>;
  /** Drops the session's subscription; false if it had none. */
  unsubscribe(sessionId: string): Promise<boolean>;
  /** Drops a subscription the push service said is gone — only if it still has this endpoint. */
  removeGone(sessionId: string, endpoint: string): Promise<boolean>;
  /** Subscriptions of live sessions of these users. */
  forUsers(userIds: readonly string[]): Promise<PushSubscriptionRow[]>;
  bySession(sessionId: string): Promise<PushSubscriptionRow | null>;
  sessionsWithPush(userId: string): Promise<Set<string>>;
  /** Drops subscriptions made for another VAPID key (after a rotation); returns how many. */
  dropOtherKeys(keyId: string): Promise<number>;
  /** Members of the chat other than `exceptUserId` who have at least one subscription. */
  audience(chatId: string, exceptUserId: string): Promise<PushAudienceMember[]>;
  /** Every requested user, defaults filled in. */
  settings(userIds: readonly string[]): Promise<Map<string, NotifySettings>>;
  setSettings(userId: string, patch: Partial<NotifySettings>, opts?: WriteOpts<NotifySettings>): Promise<Committed<NotifySettings>>;
}
