/**
 * Anthropic at `/anthropic` (API Host `…/anthropic`; clients add `/v1`): the paged model list,
 * model lookup by id or alias, POST /v1/messages (tools too; `stream: true` as SSE),
 * /v1/messages/count_tokens, GET /v1/files (reached only if a gateway forwards it), and Anthropic's
 * own error bodies.
 *
 * Precedence, first match wins: redirect, error500, overloaded (every path, like a gateway) →
 * unknown path 404 / wrong method 405 → missing x-api-key (a Bearer-only request gets the OAuth
 * refusal) → `bad` key → missing anthropic-version → the endpoint (body, model, then quota /
 * ratelimit on messages; huge on the model list).
 */
import { randomBytes } from "node:crypto";
import { gatewayErrorPage, json, redirect } from "../replies";
import { bearerKey, decodeSegment, headerKey, isRecord, parseJson } from "../request";
import { scenarioOf, type Scenario } from "../scenarios";
import { anthropicStream } from "../streaming/anthropic-stream";
import { headerPlan, numberedWords, splitPlan } from "../streaming/plan";
import type { EmulatedProvider, ProviderRequest, Reply } from "../types";

type AnthropicModel = { id: string; display_name: string; created_at: string; aliases: string[] };

/** Newest first, as the real list is. */
export const anthropicModels: readonly AnthropicModel[] = [
  { id: "claude-haiku-4-5-20251001", display_name: "Claude Haiku 4.5", created_at: "2025-10-15T00:00:00Z", aliases: ["claude-haiku-4-5"] },
  {
    id: "claude-sonnet-4-5-20250929",
    display_name: "Claude Sonnet 4.5",
    created_at: "2025-09-29T00:00:00Z",
    aliases: ["claude-sonnet-4-5"],
  },
  { id: "claude-opus-4-1-20250805", display_name: "Claude Opus 4.1", created_at: "2025-08-05T00:00:00Z", aliases: ["claude-opus-4-1"] },
  { id: "claude-sonnet-4-20250514", display_name: "Claude Sonnet 4", created_at: "2025-05-22T00:00:00Z", aliases: ["claude-sonnet-4-0"] },
  {
    id: "claude-3-5-haiku-20241022",
    display_name: "Claude Haiku 3.5",
    created_at: "2024-10-22T00:00:00Z",
    aliases: ["claude-3-5-haiku-latest"],
  },
];

// "OK. This is the emulator." cut into tokens, so `max_tokens: 1` answers "O".
const REPLY_TOKENS = ["O", "K", ".", " This", " is", " the", " emulator", "."];

const randomId = (prefix: string, length: number) =>
  prefix + randomBytes(length).toString("base64url").replace(/[-_]/g, "x").slice(0, length);

/** `{"type":"error","error":{"type","message"},"request_id"}` with a `request-id` header, as Anthropic answers. */
export function anthropicError(status: number, type: string, message: string, headers: Record<string, string> = {}): Reply {
  const requestId = randomId("req_011C", 20);
  return json(status, { type: "error", error: { type, message }, request_id: requestId }, { "request-id": requestId, ...headers });
}

const CREDIT_TOO_LOW =
  "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.";

const modelObject = (model: AnthropicModel) => ({
  type: "model",
  id: model.id,
  display_name: model.display_name,
  created_at: model.created_at,
});

const findModel = (id: string) => anthropicModels.find((model) => model.id === id || model.aliases.includes(id));

let hugeList: string | undefined;

/** One page just over 2 MiB: the real models, then filler. */
function hugeModelList(): Reply {
  if (hugeList === undefined) {
    const entries = anthropicModels.map((model) => JSON.stringify(modelObject(model)));
    let size = entries.reduce((sum, entry) => sum + entry.length + 1, 0);
    for (let i = 0; size <= 2.1 * 1024 * 1024; i++) {
      const id = `claude-emulator-filler-${String(i).padStart(6, "0")}`;
      const entry = JSON.stringify({ type: "model", id, display_name: `Filler ${i}`, created_at: "2024-01-01T00:00:00Z" });
      entries.push(entry);
      size += entry.length + 1;
    }
    hugeList = `{"data":[${entries.join(",")}],"has_more":false,"first_id":"${anthropicModels[0]!.id}","last_id":"filler"}`;
  }
  return { status: 200, headers: { "content-type": "application/json" }, body: hugeList };
}

function listModels(request: ProviderRequest, scenario: Scenario): Reply {
  if (scenario.has("huge")) return hugeModelList();
  const limitText = request.query.get("limit");
  const limit = limitText === null ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    return anthropicError(400, "invalid_request_error", "limit: Input should be less than or equal to 1000");
  }
  const after = request.query.get("after_id");
  const start = after ? anthropicModels.findIndex((model) => model.id === after) + 1 : 0;
  const page = anthropicModels.slice(start, start + limit);
  return json(200, {
    data: page.map(modelObject),
    has_more: start + limit < anthropicModels.length,
    first_id: page[0]?.id ?? null,
    last_id: page.at(-1)?.id ?? null,
  });
}

function getModel(rawId: string): Reply {
  const id = decodeSegment(rawId) ?? rawId;
  const model = findModel(id);
  return model ? json(200, modelObject(model)) : anthropicError(404, "not_found_error", `model: ${id}`);
}

/** `{}` filled with "Paris" for each required property of the tool's input schema. */
function toolInput(tool: Record<string, unknown>): Record<string, string> {
  const schema = isRecord(tool.input_schema) ? tool.input_schema : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((name) => typeof name === "string") : [];
  return Object.fromEntries(required.map((name) => [name, "Paris"]));
}

function messages(request: ProviderRequest, scenario: Scenario): Reply {
  const parsed = parseJson(request.body);
  if (!parsed.ok || !isRecord(parsed.value)) {
    return anthropicError(400, "invalid_request_error", "There was an issue with the request body: it is not a valid JSON object.");
  }
  const body = parsed.value;
  if (typeof body.model !== "string" || body.model === "") return anthropicError(400, "invalid_request_error", "model: Field required");
  if (body.max_tokens === undefined) return anthropicError(400, "invalid_request_error", "max_tokens: Field required");
  if (typeof body.max_tokens !== "number" || !Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
    return anthropicError(400, "invalid_request_error", "max_tokens: Input should be greater than or equal to 1");
  }
  if (!Array.isArray(body.messages)) return anthropicError(400, "invalid_request_error", "messages: Field required");
  if (body.messages.length === 0) return anthropicError(400, "invalid_request_error", "messages: at least one message is required");
  const { name, plan = headerPlan(request) } = splitPlan(body.model);
  const model = findModel(name);
  if (!model) return anthropicError(404, "not_found_error", `model: ${body.model}`);
  if (scenario.has("quota")) return anthropicError(400, "invalid_request_error", CREDIT_TOO_LOW);
  if (scenario.has("ratelimit")) {
    return anthropicError(
      429,
      "rate_limit_error",
      "This request would exceed the rate limit for your organization (emulator-org) of 50 requests per minute. " +
        "For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. " +
        "Please reduce the prompt length or the maximum tokens requested, or try again later.",
      { "retry-after": "12", "anthropic-ratelimit-requests-limit": "50", "anthropic-ratelimit-requests-remaining": "0" },
    );
  }

  const tools = Array.isArray(body.tools) ? body.tools.filter(isRecord) : [];
  const toolChoice = isRecord(body.tool_choice) ? body.tool_choice : {};
  const forced = toolChoice.type === "tool" ? tools.find((tool) => tool.name === toolChoice.name) : undefined;
  const tool = scenario.has("notools") || toolChoice.type === "none" ? undefined : (forced ?? tools[0]);
  const tokens = plan ? numberedWords(plan.chunks) : REPLY_TOKENS.slice(0, Math.min(body.max_tokens, REPLY_TOKENS.length));
  const content = tool
    ? [{ type: "tool_use", id: randomId("toolu_01", 22), name: String(tool.name ?? "tool"), input: toolInput(tool) }]
    : [{ type: "text", text: tokens.join("") }];
  const stopReason = tool ? "tool_use" : !plan && tokens.length < REPLY_TOKENS.length ? "max_tokens" : "end_turn";
  const inputTokens = inputTokensOf(body);
  const message = {
    id: randomId("msg_01", 22),
    type: "message",
    role: "assistant",
    model: model.id,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {
      input_tokens: inputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: tool ? 18 : tokens.length,
      service_tier: "standard",
    },
  };
  return body.stream === true ? anthropicStream(message, plan) : json(200, message);
}

function inputTokensOf(body: Record<string, unknown>): number {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  return Math.ceil(JSON.stringify(body.messages).length / 4) + (tools.length ? 350 : 3);
}

function countTokens(request: ProviderRequest): Reply {
  const parsed = parseJson(request.body);
  if (!parsed.ok || !isRecord(parsed.value)) {
    return anthropicError(400, "invalid_request_error", "There was an issue with the request body: it is not a valid JSON object.");
  }
  const body = parsed.value;
  if (typeof body.model !== "string" || !findModel(splitPlan(body.model).name))
    return anthropicError(404, "not_found_error", `model: ${String(body.model)}`);
  if (!Array.isArray(body.messages)) return anthropicError(400, "invalid_request_error", "messages: Field required");
  return json(200, { input_tokens: inputTokensOf(body) });
}

type Route = { method: "GET" | "POST"; run(request: ProviderRequest, scenario: Scenario): Reply };

function findRoute(path: string): Route | undefined {
  if (path === "/v1/models") return { method: "GET", run: listModels };
  if (path === "/v1/messages") return { method: "POST", run: messages };
  if (path === "/v1/messages/count_tokens") return { method: "POST", run: countTokens };
  if (path === "/v1/files") return { method: "GET", run: () => json(200, { data: [], has_more: false, first_id: null, last_id: null }) };
  const single = /^\/v1\/models\/([^/]+)$/.exec(path);
  if (single) return { method: "GET", run: () => getModel(single[1]!) };
  return undefined;
}

export const anthropic: EmulatedProvider = {
  id: "anthropic",
  mount: "/anthropic",
  apiHostPath: "/anthropic",
  credential: (headers) => headerKey(headers, "x-api-key"),
  handle(request) {
    const scenario = scenarioOf(headerKey(request.headers, "x-api-key"));
    if (scenario.has("redirect")) return redirect();
    if (scenario.has("error500")) return gatewayErrorPage();
    if (scenario.has("overloaded")) return anthropicError(529, "overloaded_error", "Overloaded");
    const route = findRoute(request.path);
    if (!route) return anthropicError(404, "not_found_error", "Not Found");
    if (route.method !== request.method) {
      return anthropicError(405, "invalid_request_error", "Method Not Allowed", { allow: route.method });
    }
    if (scenario.missingKey) {
      return bearerKey(request.headers)
        ? anthropicError(401, "authentication_error", "OAuth authentication is currently not supported.")
        : anthropicError(401, "authentication_error", "x-api-key header is required");
    }
    if (scenario.has("bad")) return anthropicError(401, "authentication_error", "invalid x-api-key");
    if (!headerKey(request.headers, "anthropic-version")) {
      return anthropicError(400, "invalid_request_error", "anthropic-version: header is required");
    }
    return route.run(request, scenario);
  },
};
