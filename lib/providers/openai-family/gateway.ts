/**
 * Gateway behaviour shared by the OpenAI-style providers: the inference and model-listing paths
 * (`chat/completions`, `completions`, `responses`, `embeddings`, `models[/<id>]`, each also under
 * a leading `v1/`), the base URL joined without doubling `/v1`, and `Authorization: Bearer`.
 */
import "server-only";
import type { GatewayCredential, GatewayRoute, GatewaySpec } from "@/lib/gateway/types";
import { apiUrl } from "@/lib/providers/openai-family/style";

const INFERENCE = new Set(["chat/completions", "completions", "responses", "embeddings"]);
// Where `stream_options.include_usage` exists (the Responses API always reports usage, and refuses it).
export const ASK_USAGE = new Set(["chat/completions", "completions"]);

/** Percent-encodes each segment and joins them with `/`, with a leading `/`. */
export function joinSegments(segments: readonly string[]): string {
  return `/${segments.map((segment) => encodeURIComponent(segment)).join("/")}`;
}

/**
 * The OpenAI-style allowlist. `modelIdSegments`: how many segments a model id may span in
 * `models/<id>` (2 for OpenRouter's `vendor/model`).
 */
export function openAIStyleRoute(segments: readonly string[], modelIdSegments = 1): GatewayRoute | null {
  const rest = segments[0] === "v1" ? segments.slice(1) : segments;
  const joined = rest.join("/");
  if (INFERENCE.has(joined)) return { path: joinSegments(rest), method: "POST", model: null, askUsage: ASK_USAGE.has(joined) };
  if (rest[0] === "models" && rest.length <= 1 + modelIdSegments)
    return { path: joinSegments(rest), method: "GET", model: null, askUsage: false };
  return null;
}

/** `Authorization: Bearer <apiKey>`; none when the credential has no key (local OpenAI-compatible servers). */
export function bearerAuth(credential: GatewayCredential): Record<string, string> {
  const key = credential.secrets.apiKey?.trim();
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** A spec for an OpenAI-style provider whose base URL comes from `base(apiHost)`. */
export function openAIStyleGateway(base: (apiHost: string) => string, options: { modelIdSegments?: number } = {}): GatewaySpec {
  return {
    route: (segments) => openAIStyleRoute(segments, options.modelIdSegments),
    url: (credential, route, search) => `${apiUrl(base(credential.apiHost), route.path)}${search}`,
    auth: (credential) => bearerAuth(credential),
  };
}
