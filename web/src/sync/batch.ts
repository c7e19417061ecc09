// Keys asked for within one turn (one render, typically) are handed over together on the
// next microtask, in parts of at most `max`: one request for a group's member list instead
// of one per member.
export function batcher(max: number, fetch: (part: string[]) => void): (key: string) => void {
  let queued: string[] = [];
  const flush = () => {
    const keys = queued;
    queued = [];
    for (let i = 0; i < keys.length; i += max) fetch(keys.slice(i, i + max));
  };
  return (key) => {
    if (queued.length === 0) queueMicrotask(flush);
    queued.push(key);
  };
}
