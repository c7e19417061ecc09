// The in-process bus: one box, one process. Handlers run in a microtask, never inside
// publish(), so a handler that publishes cannot re-enter the publisher, and microtask
// FIFO order keeps each publisher's messages in order. A throwing handler affects
// nobody else.
import type { Bus, Unsubscribe } from "./port.ts";

type Handler = (payload: Uint8Array) => void;

/** One subscription; `live` goes false on unsubscribe (a publish already queued then skips it). */
interface Sub {
  readonly handler: Handler;
  live: boolean;
}

export function createInprocBus(onHandlerError: (e: unknown) => void = () => {}): Bus {
  // A topic with one subscriber (the common case: a user's one connection) holds it
  // directly; a Set only from the second on. Per idle socket that saves a Set and its
  // table for each of the user's topics.
  const topicsMap = new Map<string, Sub | Set<Sub>>();
  let closed = false;

  const deliver = (sub: Sub, payload: Uint8Array) => {
    if (closed || !sub.live) return; // unsubscribed since the publish
    try {
      sub.handler(payload);
    } catch (e) {
      onHandlerError(e);
    }
  };

  const unsubscribe = (topic: string, sub: Sub) => {
    if (!sub.live) return;
    sub.live = false;
    const cur = topicsMap.get(topic);
    if (cur === sub) topicsMap.delete(topic);
    else if (cur instanceof Set && cur.delete(sub) && cur.size === 0) topicsMap.delete(topic);
  };

  return {
    async publish(topic, payload) {
      if (closed) throw new Error("bus closed");
      const cur = topicsMap.get(topic);
      if (!cur) return;
      if (cur instanceof Set) for (const sub of cur) queueMicrotask(() => deliver(sub, payload));
      else queueMicrotask(() => deliver(cur, payload));
    },
    subscribe(topic, handler): Unsubscribe {
      if (closed) throw new Error("bus closed");
      // its own record, so the same function subscribed twice gets two independent subscriptions
      const sub: Sub = { handler, live: true };
      const cur = topicsMap.get(topic);
      if (!cur) topicsMap.set(topic, sub);
      else if (cur instanceof Set) cur.add(sub);
      else topicsMap.set(topic, new Set([cur, sub]));
      return () => unsubscribe(topic, sub);
    },
    async ready() {
      return !closed;
    },
    async close() {
      closed = true;
      topicsMap.clear();
    },
  };
}
