/**
 * The forwarded part of a gateway URL, strictly: raw (still percent-encoded) segments after
 * `/api/v1/gateway/<credentialId>/`, each decoded once. Refused: empty segments (`//`, a trailing
 * `/`), `.` and `..` (also encoded), backslashes, control characters, bad percent-encoding, and a
 * decoded `/` (an encoded slash) except in the one segment a provider allows it in.
 */

const MAX_PATH = 2048;

/** Decoded segments, or null when the path is not one the gateway forwards. */
export function parseGatewayPath(rawPath: string, slashInSegment?: number): string[] | null {
  if (rawPath.length === 0 || rawPath.length > MAX_PATH) return null;
  const segments: string[] = [];
  for (const [index, raw] of rawPath.split("/").entries()) {
    if (raw === "") return null;
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (decoded === "." || decoded === ".." || /[\\\u0000-\u001f\u007f]/.test(decoded) || decoded.includes("%")) return null;
    if (decoded.includes("/") && index !== slashInSegment) return null;
    segments.push(decoded);
  }
  return segments;
}

/** The raw path after `/api/v1/gateway/<credentialId>/` in a request URL's pathname, or null. */
export function forwardedPath(pathname: string): string | null {
  const match = /^\/api\/v1\/gateway\/[^/]+\/(.*)$/.exec(pathname);
  return match ? match[1]! : null;
}

/** The raw path after `/api/v1/gateway/profile/<name>/` in a request URL's pathname, or null. */
export function profileForwardedPath(pathname: string): string | null {
  const match = /^\/api\/v1\/gateway\/profile\/[^/]+\/(.*)$/.exec(pathname);
  return match ? match[1]! : null;
}
