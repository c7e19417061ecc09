// The admin console's plain logic: which tabs exist, the expiries offered for an IP block.
export const adminTabs = ["people", "storage", "blocks", "audit", "health"] as const;
export type AdminTab = (typeof adminTabs)[number];

export const blockExpiryChoices = ["1h", "1d", "7d", "never"] as const;
export type BlockExpiryKey = (typeof blockExpiryChoices)[number];

/** expiresInMs for admin.ipBlock; undefined = until removed. */
export function blockExpiryMs(k: BlockExpiryKey): number | undefined {
  return { "1h": 3_600_000, "1d": 86_400_000, "7d": 7 * 86_400_000, never: undefined }[k];
}
