/** Words for the org tokens a membership change revokes (client-safe, pure). */

const tokens = (count: number) => `${count} org ${count === 1 ? "token" : "tokens"}`;

/** "Their 2 org tokens will be revoked." / "Your 1 org token will be revoked."; "" when there are none. */
export function tokensRevokedNote(count: number, self = false): string {
  return count > 0 ? `${self ? "Your" : "Their"} ${tokens(count)} will be revoked.` : "";
}

/** A toast's tail after the change: " · 2 org tokens revoked", or "". */
export function tokensRevokedSuffix(count: number | undefined): string {
  return count && count > 0 ? ` · ${tokens(count)} revoked` : "";
}
