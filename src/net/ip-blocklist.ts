// The IP blocks as the edge checks them: the table compiled to byte ranges, held per
// store and re-read at least every `limits.ipBlockRefreshMs` (blocks written by the CLI
// in another process arrive that way) or at once after a change in this process
// (`invalidate`). Concurrent checks share one reload. A check is a parse of the client
// address and a scan of at most `limits.ipBlocksMax` ranges; no other work.
import { limits } from "../limits.ts";
import { type Cidr, inCidr, parseCidr, parseIp } from "./ip.ts";

interface Entry {
  cidr: Cidr;
  expiresAt: number | null;
}

export interface BlockSource {
  ipBlocks(now: number): Promise<readonly { cidr: string; expiresAt: number | null }[]>;
}

export class IpBlockList {
  private entries: Entry[] = [];
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly source: BlockSource,
    private readonly now: () => number,
  ) {}

  /** Whether the (resolved, canonical) client address falls in a block in force. */
  async blocked(ip: string): Promise<boolean> {
    const now = this.now();
    if (now - this.loadedAt >= limits.ipBlockRefreshMs) await this.reload();
    if (this.entries.length === 0) return false;
    const bytes = parseIp(ip);
    if (!bytes) return false;
    return this.entries.some((e) => (e.expiresAt === null || e.expiresAt > now) && inCidr(bytes, e.cidr));
  }

  /** After a change made in this process: the next check re-reads the table. */
  invalidate(): void {
    this.loadedAt = Number.NEGATIVE_INFINITY;
  }

  private reload(): Promise<void> {
    this.loading ??= this.source
      .ipBlocks(this.now())
      .then((rows) => {
        this.entries = rows.flatMap((r) => {
          const cidr = parseCidr(r.cidr);
          return cidr ? [{ cidr, expiresAt: r.expiresAt }] : [];
        });
        this.loadedAt = this.now();
      })
      .catch(() => {
        this.loadedAt = this.now(); // storage did not answer: keep the last list, try again after the interval
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}

const lists = new WeakMap<BlockSource, IpBlockList>();

/** The one list per store in this process, shared by the edge and the admin methods. */
export function ipBlockList(source: BlockSource, now: () => number): IpBlockList {
  let list = lists.get(source);
  if (!list) {
    list = new IpBlockList(source, now);
    lists.set(source, list);
  }
  return list;
}
