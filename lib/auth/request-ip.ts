/**
 * The client's IP address as seen by the first proxy in front of BYOK (or by Next itself, which
 * fills X-Forwarded-For from the socket when no proxy did). Behind a reverse proxy, that proxy
 * must overwrite X-Forwarded-For; the per-email sign-in limit never depends on it.
 */
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for");
  const first = forwarded?.split(",")[0]?.trim();
  const candidate = first || headers.get("x-real-ip")?.trim() || "";
  if (!candidate || candidate.length > 64 || !/^[0-9a-fA-F:.]+$/.test(candidate)) return null;
  return candidate.replace(/^::ffff:/i, "");
}
