// Ephemeral notices (typing, presence) on the bus: one message per recipient, to the
// user's live connections only. Nothing is stored: a user without a live connection
// simply misses them, which is right for state that is stale a few seconds later.
import { topics, type Bus } from "../bus/port.ts";
import type { Logger } from "../log/port.ts";
import { decode, encode } from "../protocol/codec.ts";

export interface EphemeralItem {
  type: string;
  data: unknown;
}

/** Sends the same items to each user; bus failures are logged (the notice is just lost). */
export async function publishEphemeral(deps: { bus: Bus; log?: Logger }, userIds: Iterable<string>, items: EphemeralItem[]): Promise<void> {
  if (items.length === 0) return;
  const payload = encode(items); // shared: the in-process bus passes it by reference
  const sends: Promise<void>[] = [];
  for (const userId of userIds) {
    sends.push(deps.bus.publish(topics.userEphemeral(userId), payload).catch((e) => deps.log?.warn("ephemeral publish failed", { err: String(e) })));
  }
  await Promise.all(sends);
}

const decoded = new WeakMap<Uint8Array, EphemeralItem[]>();
/** Decodes a topics.userEphemeral payload; [] for anything malformed. */
export function decodeEphemeralPayload(payload: Uint8Array): EphemeralItem[] {
  const hit = decoded.get(payload);
  if (hit) return hit;
  let list: EphemeralItem[] = [];
  try {
    const v = decode(payload);
    if (Array.isArray(v)) list = v.filter((e): e is EphemeralItem => typeof e?.type === "string");
  } catch {
    // foreign or corrupt: ephemeral anyway
  }
  decoded.set(payload, list);
  return list;
}
