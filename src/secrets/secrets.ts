// Secrets are generated on first start, each independently from the CSPRNG (no secret
// is derived from another), stored one per file in <data>/secrets/ with mode 0600, and
// rotatable with `hearth secrets rotate <name>` (the replaced value is kept as
// <name>.previous). Loading lives in ./store.ts.
// invite-code-key: invite codes are HMAC(key, creator + clientId), so a retried
// registration_invite.create returns the same code although only its hash is stored.
// totp-key: encrypts TOTP secrets in the database (./totp-box.ts); rotating it keeps the
// old key as totp-key.retired-<kid> until the next start has re-encrypted every secret.
// vapid-key: the P-256 private key (32 bytes, base64url) that signs Web Push VAPID JWTs
// (src/push/vapid.ts); rotating it makes every browser subscribe again (the server drops
// the subscriptions made for the old key at the next start).
// push-action-key: signs the capability a message push carries for its buttons (mark read,
// reply) so a service worker can act without the app's tokens (src/push/action.ts).
export const SECRET_NAMES = ["access-token-key", "invite-code-key", "totp-key", "vapid-key", "push-action-key"] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

export interface Secrets {
  /** The current value (base64url, 32+ random bytes). */
  get(name: SecretName): string;
  /**
   * The value the last rotation replaced, or null. Kept only so that what it signed can be
   * recognised (an access token from before the rotation is told to refresh); nothing
   * new is ever signed with it.
   */
  previous(name: SecretName): string | null;
}
