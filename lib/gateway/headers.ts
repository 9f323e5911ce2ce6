/** Which headers cross the gateway, each way. Everything else (cookies, X-Forwarded-*, the agent's token) stays behind. */

/** Request headers passed on to the provider (the provider's auth is added separately). */
const FORWARDED = ["content-type", "accept", "anthropic-version", "anthropic-beta", "openai-beta", "user-agent"];

/** Response headers passed back: content type and encoding, request ids, rate limits, AWS error type. */
const RETURNED = new Set([
  "content-type",
  "content-encoding",
  "x-request-id",
  "request-id",
  "x-amzn-requestid",
  "x-amzn-request-id",
  "apim-request-id",
  "x-ms-request-id",
  "openai-processing-ms",
  "retry-after",
  "retry-after-ms",
  "x-amzn-errortype",
]);
const RETURNED_PREFIXES = ["x-ratelimit-", "anthropic-ratelimit-"];

export function requestHeadersFor(incoming: Headers): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED) {
    const value = incoming.get(name);
    if (value !== null && value.length <= 1024) headers[name] = value;
  }
  return headers;
}

export function responseHeadersFrom(upstream: Headers): Headers {
  const headers = new Headers();
  upstream.forEach((value, name) => {
    if (RETURNED.has(name) || RETURNED_PREFIXES.some((prefix) => name.startsWith(prefix))) headers.append(name, value);
  });
  return headers;
}
