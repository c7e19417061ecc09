// `hearth admin media`: the same figures as the admins' media.stats, from the server's shell.
import { limits } from "../../limits.ts";
import type { Command } from "../command.ts";
import { withStorage } from "../storage.ts";

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

export const mediaCommand: Command = {
  name: "admin media",
  summary: "Show media storage: usage against the quotas, stored files, orphans, the heaviest users",
  args: [],
  examples: ["hearth admin media"],
  async run({ globals }) {
    const lines = await withStorage(globals, async (storage, config) => {
      const s = await storage.media.stats(limits.mediaStatsTopUsersMax);
      const limit = config.media.serverQuotaBytes > 0 ? mb(config.media.serverQuotaBytes) : "no limit";
      const out = [
        `used: ${mb(s.usedBytes)} (server quota: ${limit}; per user: ${config.media.userQuotaBytes > 0 ? mb(config.media.userQuotaBytes) : "no limit"}; per file: ${mb(config.media.fileBytesMax)})`,
        `media: ${s.mediaCount}; stored files: ${s.blobCount} (${mb(s.blobBytes)}); orphans: ${s.orphanBlobCount} (${mb(s.orphanBlobBytes)}); unfinished uploads: ${s.uploadsInProgress}`,
      ];
      for (const u of s.topUsers) {
        const user = await storage.users.byId(u.userId);
        out.push(`  ${(user?.username ?? u.userId).padEnd(32)} ${mb(u.usedBytes)}`);
      }
      return out;
    });
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
};
