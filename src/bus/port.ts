// The pub/sub port that carries real-time notifications between the code that commits
// a change and the connections that deliver it. Nothing above this port may assume a
// single process: the in-process adapter serves one box, a Redis adapter (scale-out)
// passes the same contract suite (src/bus/contract.ts).
//
// Delivery is at-most-once and best-effort by design: durability lives in storage (the
// per-user event queues and the per-chat logs). A reader that sees a gap in event ids or
// chat positions reads the missing ones from storage, so a lost bus message delays
// delivery but never loses an event.

export type Unsubscribe = () => void;

export interface Bus {
  /** Delivered to every current subscriber of `topic`, in publish order per publisher. */
  publish(topic: string, payload: Uint8Array): Promise<void>;
  subscribe(topic: string, handler: (payload: Uint8Array) => void): Unsubscribe;
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/** Topic names, in one place so adapters and users agree. */
export const topics = {
  /** Committed events for one user (payload: encoded StoredEvent[]). */
  userEvents: (userId: string) => `u:${userId}`,
  /** Control messages for a user's live connections (payload: encoded BusControl). */
  userControl: (userId: string) => `c:${userId}`,
  /** Typing and presence for a user's live connections (payload: encoded EphemeralItem[]); never stored. */
  userEphemeral: (userId: string) => `e:${userId}`,
  /** Committed changes of one chat's log (payload: encoded ChatLogBatch, src/events/publish.ts). */
  chatLog: (chatId: string) => `l:${chatId}`,
} as const;

/** Control messages on topics.userControl: make live connections react at once. */
export type BusControl =
  | { kind: "session_revoked"; sessionId: string } // close that session's sockets
  | { kind: "user_disabled" }; // close every socket of the user
