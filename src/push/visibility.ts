// Which sessions have a visible live connection (client.visibility). Ephemeral and
// per process: a connection counts as visible from the moment it opens until it says
// `visible: false` (Telegram-like: an app that never reports is assumed to be looked at,
// so it gets in-app notifications, not pushes); its entry goes when it closes.
export class VisibilityTracker {
  private readonly bySession = new Map<string, Map<string, boolean>>();

  /** A connection opened; returns its cleanup. */
  opened(sessionId: string, connectionId: string): () => void {
    let conns = this.bySession.get(sessionId);
    if (!conns) this.bySession.set(sessionId, (conns = new Map()));
    conns.set(connectionId, true);
    return () => {
      const c = this.bySession.get(sessionId);
      c?.delete(connectionId);
      if (c?.size === 0) this.bySession.delete(sessionId);
    };
  }

  /** Only for open connections (a report from a closed one is ignored). */
  set(sessionId: string, connectionId: string, visible: boolean): void {
    const c = this.bySession.get(sessionId);
    if (c?.has(connectionId)) c.set(connectionId, visible);
  }

  /** True while any live connection of the session is visible. */
  visible(sessionId: string): boolean {
    const c = this.bySession.get(sessionId);
    if (!c) return false;
    for (const v of c.values()) if (v) return true;
    return false;
  }
}
