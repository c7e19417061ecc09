// The choices the invite form offers, as the params registration_invite.create takes.
export const expiryChoices = [
  { key: "1h", ms: 3_600_000 },
  { key: "1d", ms: 86_400_000 },
  { key: "7d", ms: 7 * 86_400_000 },
  { key: "never", ms: undefined },
] as const;

export const useChoices = [1, 5, 25, null] as const; // null: unlimited

export type ExpiryKey = (typeof expiryChoices)[number]["key"];

export function inviteParams(expiry: ExpiryKey, uses: number | null, clientId: string) {
  const ms = expiryChoices.find((c) => c.key === expiry)?.ms;
  return { clientId, ...(ms === undefined ? {} : { expiresInMs: ms }), ...(uses === null ? {} : { maxUses: uses }) };
}
