// Which tone plays now, from the call state alone (unit-tested): an incoming 1:1 call rings,
// our own outgoing 1:1 call plays ringback until the other answers. A muted chat plays neither;
// whether an incoming call may ring (do-not-disturb, the chat's level) is `rings`, by default
// "not muted" (the notification rules pass their own, ../notifications/rules.ts callRings).
import type { CallsState } from "./state.ts";

export type Tone = "ring" | "ringback";

export function toneFor(s: CallsState, isMuted: (chatId: string) => boolean, rings = (chatId: string) => !isMuted(chatId)): Tone | null {
  if (s.incoming && !s.current) return rings(s.incoming.chatId) ? "ring" : null;
  const c = s.current;
  if (!c) return null;
  const live = s.live[c.chatId];
  // Ringing means nobody answered yet: only our own 1:1 calls ring (groups just start).
  const waiting = c.phase === "joining" ? false : !!live?.ringing && Object.keys(c.participants).length < 2;
  return waiting && !isMuted(c.chatId) ? "ringback" : null;
}
