// Per-chat log positions on the client side: the backstop behind the server's in-order,
// gap-free delivery (docs/protocol.md "Chat logs"). For each chat the client holds the
// position of the last change it applied. A change is applied only when its pos is
// held + 1; pos ≤ held is a duplicate and dropped; pos > held + 1 is held back (at most
// `heldMax` per chat) and the owner asks `chat.difference` once from `held`; the answer's
// changes and then the held ones apply in order. A chat the user left takes nothing more
// until a `chat.joined` says where it starts again. Pure state, no I/O: the client does the
// asking and the delivering (src/client/client.ts).
import type { ChatLogEvent } from "../protocol/frames.ts";

export interface ChatPosition {
  chatId: string;
  pos: number;
}

interface ChatState {
  pos: number;
  member: boolean;
  held: ChatLogEvent[]; // pos ascending, all > pos + 1
  asking: boolean; // a chat.difference is in flight
}

/** What the owner does after handing changes in: deliver `apply` in order, then ask if `askFrom` is set. */
export interface Step {
  apply: ChatLogEvent[];
  /** Ask chat.difference after this pos (set at most once until `answered`). */
  askFrom: number | null;
  /** More than heldMax changes waited past a gap: state cannot be trusted, resume instead. */
  overflow: boolean;
}

export class ChatLogPositions {
  private readonly chats = new Map<string, ChatState>(); // insertion order = least recently changed first

  constructor(private readonly heldMax: number) {}

  /** Replaces every position (a fresh snapshot, or a cache before the first hello). */
  seed(list: readonly ChatPosition[]): void {
    this.chats.clear();
    for (const p of list) this.touch(p.chatId, { pos: p.pos, member: true, held: [], asking: false });
  }

  /** Member chats, most recently changed first, at most `max`: what hello.resume.chats lists. */
  list(max: number): ChatPosition[] {
    const out: ChatPosition[] = [];
    const all = [...this.chats];
    for (let i = all.length - 1; i >= 0 && out.length < max; i--) {
      const [chatId, c] = all[i]!;
      if (c.member) out.push({ chatId, pos: c.pos });
    }
    return out;
  }

  pos(chatId: string): number | undefined {
    const c = this.chats.get(chatId);
    return c?.member ? c.pos : undefined;
  }

  /** Changes are held past a gap in this chat. */
  gapOpen(chatId: string): boolean {
    return (this.chats.get(chatId)?.held.length ?? 0) > 0;
  }

  /** The socket ended: held changes and asks are void, the resume re-sends from the positions. */
  dropHeld(): void {
    for (const c of this.chats.values()) {
      c.held = [];
      c.asking = false;
    }
  }

  /** `chat.joined` (or a created chat's entry): the chat's changes follow from pos + 1. */
  joined(chatId: string, pos: number): Step {
    const c = this.chats.get(chatId);
    if (c?.member && c.pos >= pos) return none();
    const held = c?.member ? c.held : [];
    this.touch(chatId, { pos, member: true, held, asking: c?.member ? c.asking : false });
    return this.drain(chatId);
  }

  /** `chat.left`: nothing more is applied for this chat, and it is not listed on resume. */
  left(chatId: string, pos: number): void {
    const c = this.chats.get(chatId);
    this.touch(chatId, { pos: Math.max(pos, c?.pos ?? 0), member: false, held: [], asking: false });
  }

  /** Changes from a chat_events frame (or a difference answer). */
  receive(chatId: string, events: readonly ChatLogEvent[]): Step {
    let c = this.chats.get(chatId);
    if (c && !c.member) return none();
    if (!c && events.length > 0) {
      // a chat never seen (beyond the snapshot's page): the server starts it where we are
      c = { pos: events[0]!.pos - 1, member: true, held: [], asking: false };
      this.touch(chatId, c);
    }
    if (!c) return none();
    const apply: ChatLogEvent[] = [];
    for (const e of events) {
      if (e.pos === c.pos + 1) {
        apply.push(e);
        c.pos = e.pos;
      } else if (e.pos > c.pos + 1) this.hold(c, e);
    }
    this.touch(chatId, c);
    const rest = this.drain(chatId);
    return { apply: [...apply, ...rest.apply], askFrom: rest.askFrom, overflow: rest.overflow };
  }

  /** chat_reset (or a difference answered with a reset): the chat restarts at pos. */
  reset(chatId: string, pos: number): Step {
    const c = this.chats.get(chatId);
    this.touch(chatId, { pos, member: true, held: c?.member ? c.held : [], asking: false });
    return this.drain(chatId);
  }

  /**
   * The difference asked for chatId came back (or failed): the ask is over. The caller has
   * already fed its changes through receive()/reset(); if a gap is still open it asks again.
   */
  answered(chatId: string): Step {
    const c = this.chats.get(chatId);
    if (c) c.asking = false;
    return this.drain(chatId);
  }

  private hold(c: ChatState, e: ChatLogEvent): void {
    const i = c.held.findIndex((h) => h.pos >= e.pos);
    if (i >= 0 && c.held[i]!.pos === e.pos) return; // already held
    if (i < 0) c.held.push(e);
    else c.held.splice(i, 0, e);
  }

  /** Applies held changes that are now next; asks once if a gap remains. */
  private drain(chatId: string): Step {
    const c = this.chats.get(chatId);
    if (!c || !c.member) return none();
    const apply: ChatLogEvent[] = [];
    while (c.held.length > 0 && c.held[0]!.pos <= c.pos + 1) {
      const e = c.held.shift()!;
      if (e.pos === c.pos + 1) {
        apply.push(e);
        c.pos = e.pos;
      }
    }
    if (c.held.length > this.heldMax) {
      c.held = [];
      return { apply, askFrom: null, overflow: true };
    }
    if (c.held.length === 0 || c.asking) return { apply, askFrom: null, overflow: false };
    c.asking = true;
    return { apply, askFrom: c.pos, overflow: false };
  }

  private touch(chatId: string, c: ChatState): void {
    this.chats.delete(chatId);
    this.chats.set(chatId, c);
  }
}

const none = (): Step => ({ apply: [], askFrom: null, overflow: false });
