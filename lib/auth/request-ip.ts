/**
 * The client's address for rate limits and the activity log. It is never read from
 * X-Forwarded-For here: the HTTP server hook (lib/client-address/hook.ts) computes it from the
 * socket and TRUSTED_PROXY_HOPS and passes it in a private, stamped header. Null when the request
 * carries no valid stamp (it arrived before the hook was installed, or the header was forged).
 */
import { CLIENT_ADDRESS_HEADER, readStamp } from "@/lib/client-address/stamp";

export function clientIp(headers: Headers): string | null {
  return readStamp(headers.get(CLIENT_ADDRESS_HEADER));
}
