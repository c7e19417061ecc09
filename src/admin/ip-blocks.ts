// IP blocks: an address or CIDR (IPv4 or IPv6) refused at the edge before any other work
// (src/server/observe.ts), optionally until an expiry. At most `limits.ipBlocksMax` in
// force; an address is stored as its /32 or /128 and host bits are cleared, so one range
// has one spelling.
import { invalidField } from "../errors.ts";
import { newId } from "../ids.ts";
import { limits } from "../limits.ts";
import { ipBlockList } from "../net/ip-blocklist.ts";
import { normalizeCidr } from "../net/ip.ts";
import type { IpBlockInfo } from "../protocol/methods/admin.ts";
import type { IpBlock } from "../storage/admin-port.ts";
import type { Storage, User } from "../storage/port.ts";
import { audit } from "../accounts/audit.ts";

interface BlockDeps {
  storage: Storage;
  now: () => number;
}

const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

export const blockInfo = (b: IpBlock): IpBlockInfo => ({ ...b });

/** Checks and adds one block; `actor` null is the CLI. Throws invalid_field, conflict, limit_exceeded. */
export async function addIpBlock(deps: BlockDeps, actor: User | null, p: { cidr: string; note?: string; expiresInMs?: number }): Promise<IpBlock> {
  const cidr = normalizeCidr(p.cidr);
  if (!cidr) throw invalidField("cidr", "must be an IPv4 or IPv6 address, or one with a /prefix");
  const note = (p.note ?? "").trim();
  if ([...note].length > limits.ipBlockNoteCharsMax) throw invalidField("note", `must be at most ${limits.ipBlockNoteCharsMax} characters`);
  if (p.expiresInMs !== undefined && p.expiresInMs > limits.ipBlockTtlMsMax) throw invalidField("expiresInMs", "must be at most ten years");
  const now = deps.now();
  const block: IpBlock = { id: newId(now), cidr, note, createdBy: actor?.id ?? null, createdAt: now, expiresAt: p.expiresInMs === undefined ? null : now + p.expiresInMs };
  await deps.storage.admin.addIpBlock(block, limits.ipBlocksMax, now);
  ipBlockList(deps.storage.admin, deps.now).invalidate();
  await audit(deps, actor, "ipblock.add", cidr, [note, block.expiresAt === null ? "no expiry" : `until ${utc(block.expiresAt)}`].filter(Boolean).join("; "));
  return block;
}

/** Removes one block by id; false if there was none. */
export async function removeIpBlock(deps: BlockDeps, actor: User | null, id: string): Promise<boolean> {
  const block = (await deps.storage.admin.ipBlocks(deps.now())).find((b) => b.id === id);
  if (!(await deps.storage.admin.removeIpBlock(id))) return false;
  ipBlockList(deps.storage.admin, deps.now).invalidate();
  await audit(deps, actor, "ipblock.remove", block?.cidr ?? id);
  return true;
}
