/**
 * The OpenAPI 3.1 document of BYOK's agent API, built with zod-openapi from the schemas the
 * handlers use (lib/config/contract.ts), so what is published is what is parsed and answered.
 * Served at /api/v1/openapi.json and rendered as /docs/api. Pure: the caller passes the origin.
 */
import * as z from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponseObject, type ZodOpenApiResponsesObject } from "zod-openapi";
import {
  agentErrorStatus,
  AgentConfig,
  CONFIG_ERROR_CODES,
  ConfigAnswer,
  ConfigQuery,
  ErrorBody,
  GATEWAY_ERROR_CODES,
  PROFILE_GATEWAY_ERROR_CODES,
  ProfileNameSchema,
  type AgentErrorCode,
} from "@/lib/config/contract";
import packageJson from "@/package.json";
import { ERROR_CODE_INFO } from "./error-codes";

export const OPENAPI_PATH = "/api/v1/openapi.json";
export const CONFIG_PATH = "/api/v1/config";
export const GATEWAY_PATH = "/api/v1/gateway/{credentialId}/{path}";
export const PROFILE_GATEWAY_PATH = "/api/v1/gateway/profile/{name}/{path}";

export type OpenApiDocument = ReturnType<typeof createDocument>;

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  413: "Payload too large",
  422: "Unprocessable",
  429: "Too many requests",
  502: "Bad gateway",
  503: "Unavailable",
  504: "Gateway timeout",
};

const cacheControl = (value: string) => z.string().meta({ description: `Always \`${value}\`.`, example: value });
// A header value is text; z.int() would also publish a maximum of 2^53 - 1, which says nothing.
const retryAfter = z
  .string()
  .regex(/^[1-9][0-9]*$/)
  .meta({ description: "Seconds to wait before retrying.", example: "30" });

const AGENT_SECURITY: Record<string, string[]>[] = [{ agentToken: [] }];
// Agents' SDKs send a key their own way; the gateway takes the agent token from any of them.
const GATEWAY_SECURITY: Record<string, string[]>[] = [{ agentToken: [] }, { agentTokenXApiKey: [] }, { agentTokenApiKey: [] }];

/**
 * One response per status the codes map to: the ErrorBody, narrowed to that status's codes, with
 * one example per code whose summary says when it happens (what /docs/api lists).
 */
function errorResponses(codes: readonly AgentErrorCode[], options: { id: string; noStore: boolean }): ZodOpenApiResponsesObject {
  const byStatus = new Map<number, AgentErrorCode[]>();
  for (const code of codes) byStatus.set(agentErrorStatus(code), [...(byStatus.get(agentErrorStatus(code)) ?? []), code]);
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers: Record<string, z.ZodType> = options.noStore ? { "Cache-Control": cacheControl("no-store") } : {};
    if (status === 429 || status === 503) headers["Retry-After"] = retryAfter;
    const list = group.map((code) => `\`${code}\``).join(", ");
    const response: ZodOpenApiResponseObject = {
      id: `${options.id}${status}`,
      description: `${STATUS_TEXT[status] ?? `HTTP ${status}`}: ${list}.`,
      headers: z.object(headers),
      content: {
        "application/json": {
          schema: {
            allOf: [
              { $ref: "#/components/schemas/ErrorBody" },
              { type: "object", properties: { error: { type: "object", properties: { code: { type: "string", enum: group } } } } },
            ],
          },
          examples: Object.fromEntries(
            group.map((code) => {
              const info = ERROR_CODE_INFO[code];
              return [code, { summary: info.summary, value: { error: { ...info.details, code, message: info.message } } }];
            }),
          ),
        },
      },
    };
    responses[String(status) as `4${string}`] = response;
  }
  return responses;
}

const CREDENTIAL_ID = "6f1c2a4e-3b7d-4c1e-9a52-2f8e0d9b7c31";
const SOURCE = { type: "user", id: "0b6c9f7e-5d2a-4e8b-8c1f-3a9d7e2b4c60", name: "Ada Lovelace" } as const;

/** Example answers: a key-mode default, a gateway-mode org credential, and a profile with a fallback. */
export function configExamples(origin: string) {
  const key: AgentConfig = {
    delivery: "key",
    provider: "openai",
    providerName: "OpenAI",
    model: "gpt-4o",
    apiHost: "https://api.openai.com/v1",
    apiKey: "sk-proj-…",
    extra: {},
    parameters: { temperature: 0.2 },
    capabilities: { tools: "supported" },
    source: { ...SOURCE, via: "user_default" },
    status: "valid",
    validatedAt: "2026-11-28T10:00:00.000Z",
  };
  const gateway: AgentConfig = {
    delivery: "gateway",
    provider: "anthropic",
    providerName: "Anthropic",
    model: "claude-sonnet-4-5",
    apiHost: `${origin}/api/v1/gateway/${CREDENTIAL_ID}`,
    apiKey: "byok_… (the agent token that asked)",
    extra: {},
    parameters: {},
    capabilities: { tools: "supported" },
    source: { type: "org", id: "9d3e1b2c-7a4f-4c8e-b6d0-5e2f1a3c7b94", name: "Acme", via: "org_default" },
    status: "valid",
    validatedAt: "2026-11-30T08:15:00.000Z",
  };
  const profile: ConfigAnswer = {
    ...gateway,
    source: { ...gateway.source, via: "profile" },
    profile: "coding",
    fallbacks: [{ ...key, source: { ...key.source, via: "profile" } }],
  };
  return { key, gateway, profile };
}

const ENV_EXAMPLE = `# BYOK: OpenAI · gpt-4o · delivery key
BYOK_PROVIDER='openai'
BYOK_MODEL='gpt-4o'
BYOK_DELIVERY='key'
BYOK_API_HOST='https://api.openai.com/v1'
BYOK_API_KEY='sk-proj-…'
OPENAI_API_KEY='sk-proj-…'
OPENAI_BASE_URL='https://api.openai.com/v1'
`;

/** `origin`: BYOK's public origin (APP_URL) for `servers` and examples; relative when unknown. */
export function buildOpenApiDocument({
  origin,
  version = packageJson.version,
}: { origin?: string; version?: string } = {}): OpenApiDocument {
  const exampleOrigin = origin ?? "https://byok.example.com";
  const examples = configExamples(exampleOrigin);
  const gatewayPath = z.string().meta({
    description:
      "The provider's own path after its API host, e.g. `chat/completions` or `messages`; it may contain `/`. The query string is forwarded as is.",
    example: "chat/completions",
  });
  // Built once: the four gateway operations share these as components.
  const gatewayErrors = errorResponses(GATEWAY_ERROR_CODES, { id: "GatewayError", noStore: false });
  const profileGatewayErrors = errorResponses(PROFILE_GATEWAY_ERROR_CODES, { id: "ProfileGatewayError", noStore: false });
  const gatewayOperation = (profile: boolean, method: "GET" | "POST"): ZodOpenApiOperationObject => ({
    tags: ["Gateway"],
    operationId: `${profile ? "profileGateway" : "gateway"}${method === "GET" ? "Get" : "Post"}`,
    summary: profile ? `${method} through a profile, with failover` : `${method} to a provider through the gateway`,
    description: profile
      ? "Forwards to the profile's first usable entry and, if it fails before the first response byte (unreachable, timeout, 429 or 5xx), to the next one of the same protocol family. `x-byok-credential` and `x-byok-model` say which entry answered."
      : "Forwards to the credential's stored API host with the provider's own authentication, after checking that the agent token may use this credential now. Only the provider's inference and model-listing paths are forwarded. Bodies stream both ways.",
    security: GATEWAY_SECURITY,
    requestParams: {
      path: profile
        ? z.object({ name: ProfileNameSchema.meta({ description: "The profile's name.", example: "coding" }), path: gatewayPath })
        : z.object({
            credentialId: z
              .uuid()
              .meta({ description: "The credential's id (in a gateway-mode config answer's `apiHost`).", example: CREDENTIAL_ID }),
            path: gatewayPath,
          }),
    },
    ...(method === "POST"
      ? {
          requestBody: {
            description: "The provider's own request body, forwarded as is (at most 32 MiB).",
            content: { "application/json": { schema: { description: "The provider's request format." } } },
          },
        }
      : {}),
    responses: {
      default: {
        description: `The provider's own answer, passed through: its status, body (streamed, e.g. server-sent events) and rate-limit headers — its errors too, with the provider's own body. BYOK's own errors, listed by status, have an ErrorBody.${profile ? " `x-byok-credential` and `x-byok-model` name the entry that answered." : ""}`,
        ...(profile
          ? {
              headers: z.object({
                "x-byok-credential": z.uuid().meta({ description: "The id of the credential that answered.", example: CREDENTIAL_ID }),
                "x-byok-model": z.string().meta({ description: "The model of the entry that answered.", example: "claude-sonnet-4-5" }),
                "x-byok-attempts": z
                  .string()
                  .meta({ description: "How many entries were tried, this one included (1 when the first answered).", example: "2" }),
              }),
            }
          : {}),
      },
      ...(profile ? profileGatewayErrors : gatewayErrors),
    },
  });

  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "BYOK agent API",
      version,
      description:
        'How agents get the model configuration they should use, and reach providers through BYOK\'s gateway without ever seeing a key. Authenticate with an agent token created under Agent → Tokens (or an organization\'s Tokens page). Errors of BYOK\'s own are JSON `{"error":{"code","message"}}`: branch on `code`.',
    },
    servers: [{ url: origin ?? "/", description: origin ? "This BYOK" : "The BYOK that serves this document" }],
    tags: [
      { name: "Config", description: "The model configuration an agent should use." },
      { name: "Gateway", description: "Use a provider without seeing its key." },
      { name: "Meta", description: "This document." },
    ],
    paths: {
      [CONFIG_PATH]: {
        get: {
          tags: ["Config"],
          operationId: "getConfig",
          summary: "Get the model configuration for this agent token",
          description:
            "A personal token resolves its user's default model, else their organization's default; an org token resolves the org's default. `?provider=` asks for that provider's credential instead, `?profile=` for a model profile with fallbacks. Never cached.",
          security: AGENT_SECURITY,
          requestParams: { query: ConfigQuery },
          responses: {
            200: {
              description: "The resolved configuration (JSON), or with `?format=env` the same as dotenv text.",
              headers: z.object({ "Cache-Control": cacheControl("no-store") }),
              content: {
                "application/json": {
                  schema: ConfigAnswer,
                  examples: {
                    key: { summary: "Key mode: the provider's host and key", value: examples.key },
                    gateway: { summary: "Gateway mode: BYOK's gateway and the agent's own token", value: examples.gateway },
                    profile: { summary: "?profile=coding: the first usable entry, the others as fallbacks", value: examples.profile },
                  },
                },
                "text/plain": {
                  schema: z
                    .string()
                    .meta({ description: "dotenv text: `NAME='value'` lines, BYOK_* first, then the variables the provider's SDK reads." }),
                  examples: { env: { summary: "?format=env", value: ENV_EXAMPLE } },
                },
              },
            },
            ...errorResponses(CONFIG_ERROR_CODES, { id: "ConfigError", noStore: true }),
          },
        },
      },
      [GATEWAY_PATH]: { get: gatewayOperation(false, "GET"), post: gatewayOperation(false, "POST") },
      [PROFILE_GATEWAY_PATH]: { get: gatewayOperation(true, "GET"), post: gatewayOperation(true, "POST") },
      [OPENAPI_PATH]: {
        get: {
          tags: ["Meta"],
          operationId: "getOpenApiDocument",
          summary: "This OpenAPI document",
          description: "Public; no token needed.",
          security: [],
          responses: {
            200: {
              description: "The OpenAPI 3.1 document of the agent API.",
              headers: z.object({ "Cache-Control": cacheControl("public, max-age=300") }),
              content: { "application/json": { schema: { type: "object", description: "An OpenAPI 3.1 document." } } },
            },
          },
        },
      },
    },
    components: {
      // ErrorBody is referenced from raw allOf schemas (narrowed per status), so it is registered here.
      schemas: { ErrorBody },
      securitySchemes: {
        agentToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "byok_…",
          description: "An agent token: `Authorization: Bearer byok_…`.",
        },
        agentTokenXApiKey: {
          type: "apiKey",
          in: "header",
          name: "x-api-key",
          description: "The agent token in `x-api-key` (how Anthropic's SDKs send a key). Gateway only.",
        },
        agentTokenApiKey: {
          type: "apiKey",
          in: "header",
          name: "api-key",
          description: "The agent token in `api-key` (how Azure OpenAI's SDKs send a key). Gateway only.",
        },
      },
    },
  });
}
