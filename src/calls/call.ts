// One live call in a chat: who is in it, whether it still rings, and its media (which
// is replaced when a worker dies). Wire views of participants are derived from their
// live producers plus the state they declared (call.setState).
import type { Unsubscribe } from "../bus/port.ts";
import type { CallInfo, WireParticipant } from "../protocol/methods/calls.ts";
import type { CallMedia } from "./media.ts";

export interface Participant {
  userId: string;
  joinedAt: number;
  muted: boolean; // declared: muted by choice even with a live mic
  deafened: boolean;
  unsubscribe: Unsubscribe;
}

export class Call {
  readonly participants = new Map<string, Participant>();
  /** Everyone who joined at some point, in join order (the call history's participants). */
  readonly everJoined = new Set<string>();
  media: CallMedia | null = null;
  mediaStarting: Promise<CallMedia> | null = null;
  ringing: boolean;
  ended = false;
  ringTimer: ReturnType<typeof setTimeout> | null = null;
  rejoinTimer: ReturnType<typeof setTimeout> | null = null;
  /** Stops listening for blocks between the pair (direct calls). */
  unwatch: Unsubscribe | null = null;
  speaker = { current: null as string | null, sent: null as string | null, sentAt: 0, timer: null as ReturnType<typeof setTimeout> | null };

  constructor(
    readonly id: string,
    readonly chatId: string,
    readonly direct: boolean,
    readonly startedBy: string,
    readonly startedAt: number,
    /** The two people of a direct chat (who to ring and tell); null for groups. */
    readonly pair: readonly string[] | null,
  ) {
    this.ringing = direct;
  }

  get participantIds(): string[] {
    return [...this.participants.keys()];
  }

  info(): CallInfo {
    return { callId: this.id, chatId: this.chatId, startedBy: this.startedBy, startedAt: this.startedAt, ringing: this.ringing, participantIds: this.participantIds };
  }

  wire(p: Participant): WireParticipant {
    const peer = this.media?.peers.get(p.userId);
    const mic = peer?.live("mic") ?? false;
    return {
      userId: p.userId,
      joinedAt: p.joinedAt,
      muted: p.muted || !mic,
      deafened: p.deafened,
      camera: peer?.live("camera") ?? false,
      screen: peer?.live("screen") ?? false,
    };
  }

  clearTimers(): void {
    for (const t of [this.ringTimer, this.rejoinTimer, this.speaker.timer]) if (t) clearTimeout(t);
    this.ringTimer = this.rejoinTimer = this.speaker.timer = null;
  }
}
