// Drafts the server has not confirmed yet, per chat. Every keystroke replaces the chat's
// pending text (kept in a port: localStorage in the browser, so a reload or a network
// outage loses nothing); flush() saves them one at a time and forgets a text only once
// the server stored exactly it. The server's copy (chat entries, draft.updated) is what
// other devices see; a pending text here wins over it on this device until saved.

export interface DraftPort {
  load(): Record<string, string>;
  store(pending: Record<string, string>): void;
}

export type SaveDraft = (chatId: string, text: string) => Promise<unknown>;

/** Errors after which a later try may work: the text stays pending. */
const transient = new Set(["disconnected", "timeout", "unavailable", "internal", "rate_limited", "closed", "network"]);

export class DraftSync {
  private pending: Map<string, string>;
  private flushing: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly port: DraftPort,
    private readonly onChange: (pending: Record<string, string>) => void = () => {},
  ) {
    this.pending = new Map(Object.entries(port.load()));
  }

  /** The text not yet saved for the chat, if any. */
  text(chatId: string): string | undefined {
    return this.pending.get(chatId);
  }

  edit(chatId: string, text: string): void {
    if (this.pending.get(chatId) === text) return;
    this.pending.set(chatId, text);
    this.changed();
  }

  /** Saves every pending text; a flush asked for while one runs runs again after it. */
  flush(save: SaveDraft): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = this.run(save).finally(() => {
      this.flushing = null;
      if (this.again) {
        this.again = false;
        void this.flush(save);
      }
    });
    return this.flushing;
  }

  private async run(save: SaveDraft): Promise<void> {
    for (const [chatId, text] of [...this.pending]) {
      try {
        await save(chatId, text);
      } catch (e) {
        if (transient.has((e as { code?: string }).code ?? "network")) return; // offline: try again later
        // refused for good (left the chat, too long): keeping it would retry forever
      }
      if (this.pending.get(chatId) === text) {
        this.pending.delete(chatId);
        this.changed();
      }
    }
  }

  private changed(): void {
    const all = Object.fromEntries(this.pending);
    this.port.store(all);
    this.onChange(all);
  }
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** A draft as one line for the chat list: whitespace collapsed, cut by grapheme (never inside an emoji). */
export function draftLine(text: string, maxGraphemes = 80): string {
  const line = text.replace(/\s+/g, " ").trim();
  const parts = [...graphemes.segment(line)].map((s) => s.segment);
  return parts.length > maxGraphemes ? `${parts.slice(0, maxGraphemes).join("")}…` : line;
}
