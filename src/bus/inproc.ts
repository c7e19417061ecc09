// The in-process bus: one box, one process. Handlers run in a microtask, never inside
// publish(), so a handler that publishes cannot re-enter the publisher, and microtask
// FIFO order keeps each publisher's messages in order. A throwing handler affects
// nobody else.
import type { Bus, Unsubscribe } from "./port.ts";

type Handler = (payload: Uint8Array) => void;

export function createInprocBus(onHandlerError: (e: unknown) => void = () => {}): Bus {
  const topicsMap = new Map<string, Set<Handler>>();
  let closed = false;

  const deliver = (handlers: Set<Handler>, h: Handler, payload: Uint8Array) => {
    if (closed || !handlers.has(h)) return; // unsubscribed since the publish
    try {
      h(payload);
    } catch (e) {
      onHandlerError(e);
    }
  };

  return {
    async publish(topic, payload) {
      if (closed) throw new Error("bus closed");
      const handlers = topicsMap.get(topic);
      if (!handlers) return;
      for (const h of handlers) queueMicrotask(() => deliver(handlers, h, payload));
    },
    subscribe(topic, handler): Unsubscribe {
      if (closed) throw new Error("bus closed");
      let handlers = topicsMap.get(topic);
      if (!handlers) topicsMap.set(topic, (handlers = new Set()));
      // a wrapper, so the same function subscribed twice gets two independent subscriptions
      const h: Handler = (p) => handler(p);
      handlers.add(h);
      return () => {
        handlers.delete(h);
        if (handlers.size === 0 && topicsMap.get(topic) === handlers) topicsMap.delete(topic);
      };
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
