/**
 * What the gateway needs from each provider (one `GatewaySpec` per provider, in
 * lib/providers/<id>/gateway.ts): which paths it forwards, where to, and with which auth.
 */
import type { ProviderId } from "@/lib/providers/types";

/** A credential opened for one forwarded request. Secrets are plaintext: never log this object. */
export type GatewayCredential = {
  id: string;
  provider: ProviderId;
  apiHost: string;
  extra: Record<string, string>;
  secrets: Record<string, string>;
};

/** An allowed path, as it will be sent upstream. */
export type GatewayRoute = {
  /** Path to append to the provider's base URL: `/`-separated, each segment percent-encoded. */
  path: string;
  /** The one method this path accepts: POST for inference, GET for model listings (DELETE /models/<id> deletes a fine-tune). */
  method: "GET" | "POST";
  /** The model named by the path (Azure deployment, Bedrock model id), else null (the body's `model` is used). */
  model: string | null;
  /** An OpenAI-style inference path whose streaming requests should ask for usage (`stream_options.include_usage`). */
  askUsage: boolean;
};

/**
 * The wire protocol a provider speaks through the gateway: a profile fails over only between
 * entries of the first entry's family (an OpenAI SDK can read any "openai" answer, not Anthropic's).
 */
export type GatewayFamily = "openai" | "anthropic" | "gemini" | "azure" | "bedrock";

/** A route aimed at a profile entry's model: the route to send and the JSON body's `model` (null: the body is left alone). */
export type ModelTarget = { route: GatewayRoute; bodyModel: string | null };

/** The upstream request being built (the body is final: signing covers it). */
export type UpstreamRequest = { method: string; url: string; headers: Record<string, string>; body: Buffer | undefined };

export type GatewaySpec = {
  /** The one segment index whose decoded value may hold `/` (Bedrock's model id, an ARN). */
  slashInSegment?: number;
  /**
   * Matches the request path's segments (decoded, none empty, `.`, `..` or holding `/` or `\`,
   * except where a spec decodes one itself) against the allowlist. Null: 403 path_not_allowed.
   */
  route(segments: readonly string[], credential: GatewayCredential): GatewayRoute | null;
  /** The upstream URL: the stored API Host normalised as the provider's validation does, + path + query. */
  url(credential: GatewayCredential, route: GatewayRoute, search: string): string;
  /**
   * The provider's auth headers for this request (they replace anything of the same name).
   * `incoming` is the agent's request, for headers the provider defaults (anthropic-version).
   */
  auth(credential: GatewayCredential, request: UpstreamRequest, incoming: Headers): Record<string, string>;
  /**
   * Profile failover: `route` aimed at `model` (a profile entry's) on this credential, or null when
   * it cannot be. Without it, a route naming no model gets `model` in the body and a route whose
   * path names one is kept only when that is already `model`.
   */
  forModel?(route: GatewayRoute, credential: GatewayCredential, model: string): ModelTarget | null;
};

/** `route` aimed at `model` by the spec's hook, or by the default rule above. */
export function targetFor(spec: GatewaySpec, route: GatewayRoute, credential: GatewayCredential, model: string): ModelTarget | null {
  if (spec.forModel) return spec.forModel(route, credential, model);
  if (route.model === null) return { route, bodyModel: model };
  return route.model === model ? { route, bodyModel: null } : null;
}

/** Every stored secret of a credential, for masking. */
export function secretValues(credential: GatewayCredential): string[] {
  return Object.values(credential.secrets).filter((value) => value.length > 0);
}
