// `hearth admin ipblock list|add|remove`: the admins' IP blocks from the server's shell
// (the same rules and audit entries as the console, the actor being "cli"). A running
// server picks a change up within limits.ipBlockRefreshMs.
import { addIpBlock, removeIpBlock } from "../../admin/ip-blocks.ts";
import { AppError, FatalError } from "../../errors.ts";
import { limits } from "../../limits.ts";
import type { Command } from "../command.ts";
import { stringFlag } from "../command.ts";
import { withStorage } from "../storage.ts";

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90m", "12h", "7d" → milliseconds. */
function duration(text: string): number {
  const m = /^(\d+)([mhd])$/.exec(text.trim());
  if (!m) throw new FatalError(`--expires takes a number and m, h or d (e.g. 12h, 7d), not "${text}"`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

const when = (ms: number | null) => (ms === null ? "no expiry" : `until ${new Date(ms).toISOString()}`);

export const ipblockCommand: Command = {
  name: "admin ipblock",
  summary: "List, add or remove IP blocks (an address or CIDR, IPv4 or IPv6), refused before any other work",
  args: [
    { name: "action", required: true, desc: "list, add or remove" },
    { name: "target", required: false, desc: "add: the address or CIDR; remove: the block's id or its CIDR" },
  ],
  flags: {
    note: { type: "string", desc: "add: why (shown in the console)", value: "text" },
    expires: { type: "string", desc: "add: lift the block after this long (m, h or d: 90m, 12h, 7d)", value: "duration" },
  },
  examples: ["hearth admin ipblock list", "hearth admin ipblock add 203.0.113.0/24 --note 'login flood' --expires 7d", "hearth admin ipblock remove 203.0.113.0/24"],
  async run({ positionals, flags, globals }) {
    const [action, target] = positionals;
    const lines = await withStorage(globals, async (storage) => {
      const deps = { storage, now: Date.now };
      if (action === "list") {
        const blocks = await storage.admin.ipBlocks(Date.now());
        if (blocks.length === 0) return ["no IP blocks"];
        return [`${blocks.length} of at most ${limits.ipBlocksMax} blocks:`, ...blocks.map((b) => `${b.id}  ${b.cidr.padEnd(24)} ${when(b.expiresAt)}${b.note ? `  ${b.note}` : ""}`)];
      }
      if (!target) throw new FatalError(`admin ipblock ${action ?? ""} needs an address or CIDR`);
      if (action === "add") {
        const expires = stringFlag(flags, "expires");
        try {
          const b = await addIpBlock(deps, null, { cidr: target, note: stringFlag(flags, "note"), expiresInMs: expires === undefined ? undefined : duration(expires) });
          return [`blocked ${b.cidr} (${when(b.expiresAt)}); id ${b.id}`];
        } catch (err) {
          if (err instanceof AppError) throw new FatalError(err.code === "conflict" ? `${target} is already blocked` : err.message + (err.data && "reason" in (err.data as object) ? `: ${(err.data as { reason: string }).reason}` : ""));
          throw err;
        }
      }
      if (action === "remove") {
        const blocks = await storage.admin.ipBlocks(Date.now());
        const { normalizeCidr } = await import("../../net/ip.ts");
        const cidr = normalizeCidr(target);
        const block = blocks.find((b) => b.id === target || (cidr !== null && b.cidr === cidr));
        if (!block || !(await removeIpBlock(deps, null, block.id))) throw new FatalError(`no IP block ${target}`);
        return [`unblocked ${block.cidr}`];
      }
      throw new FatalError(`admin ipblock takes list, add or remove, not "${action}"`);
    });
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
};
