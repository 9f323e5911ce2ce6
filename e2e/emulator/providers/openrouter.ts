/**
 * OpenRouter at `/openrouter` (API Host `…/openrouter/api/v1`): GET /key (the key check), the
 * public GET /models (200 without auth, even for bad keys), chat completions with upstream quirks
 * (a model that wants ≥ 16 output tokens, one without tools, one refusing a forced tool_choice).
 *
 * Precedence, first match wins: redirect, error500 (every path) → unknown path 404 / wrong method
 * 405 → GET /models (no auth; huge honoured) → missing key / `bad` key (401) → the endpoint. A
 * `quota` key has no credits left (chat 402); with `keylimit` in it too, its own credit limit is
 * used up (GET /key limit_remaining 0, chat 403). `ratelimit` and `overloaded` are upstream errors
 * on chat only, as OpenRouter reports them.
 */
import { randomBytes } from "node:crypto";
import { gatewayErrorPage, json, redirect } from "../replies";
import { bearerKey, isRecord, parseJson } from "../request";
import { scenarioOf, type Scenario } from "../scenarios";
import type { EmulatedProvider, ProviderRequest, Reply } from "../types";

type RouterModel = { id: string; name: string; created: number; tools: boolean; forcedChoice?: boolean; minTokens?: number };

export const openRouterModels: readonly RouterModel[] = [
  { id: "openai/gpt-4o-mini", name: "OpenAI: GPT-4o-mini", created: 1721260800, tools: true },
  { id: "openai/gpt-4o", name: "OpenAI: GPT-4o", created: 1715558400, tools: true },
  { id: "openai/gpt-5", name: "OpenAI: GPT-5", created: 1754587413, tools: true, minTokens: 16 },
  { id: "anthropic/claude-sonnet-4.5", name: "Anthropic: Claude Sonnet 4.5", created: 1759161676, tools: true },
  { id: "google/gemini-2.5-flash", name: "Google: Gemini 2.5 Flash", created: 1750172488, tools: true },
  { id: "deepseek/deepseek-chat", name: "DeepSeek: DeepSeek V3", created: 1735241320, tools: true, forcedChoice: false },
  { id: "meta-llama/llama-3.3-70b-instruct:free", name: "Meta: Llama 3.3 70B Instruct (free)", created: 1733506137, tools: false },
];

const BASE = "/api/v1";
const REPLY_TOKENS = ["O", "K", ".", " This", " is", " the", " emulator", "."];
const USER_ID = "user_2EmUlAt0rUs3r0000000000000";
const ROUTING_SUFFIX = /:(nitro|floor|online|exacto)$/;
const ROUTING_DOCS = "To learn more about provider routing, visit: https://openrouter.ai/docs/guides/routing/provider-selection";

/** `{"error":{"code","message","metadata"?},"user_id"?}`, OpenRouter's envelope. */
export function openRouterError(
  code: number,
  message: string,
  metadata?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Reply {
  // Only an authenticated request is answered with the caller's user_id.
  const user = code === 401 ? {} : { user_id: USER_ID };
  return json(code, { error: { code, message, ...(metadata ? { metadata } : {}) }, ...user }, headers);
}

const upstream = (code: number, provider: string, raw: string, headers: Record<string, string> = {}) =>
  openRouterError(code, "Provider returned error", { raw, provider_name: provider }, headers);

const keyLimited = (scenario: Scenario) => scenario.has("quota") && (scenario.key ?? "").toLowerCase().includes("keylimit");

function modelObject(model: RouterModel) {
  const free = model.id.endsWith(":free");
  return {
    id: model.id,
    canonical_slug: model.id.replace(/:free$/, ""),
    hugging_face_id: "",
    name: model.name,
    created: model.created,
    description: `${model.name}, as served through the OpenRouter emulator.`,
    context_length: 128000,
    architecture: {
      modality: "text->text",
      input_modalities: ["text"],
      output_modalities: ["text"],
      tokenizer: "Other",
      instruct_type: null,
    },
    pricing: free
      ? { prompt: "0", completion: "0", request: "0", image: "0" }
      : { prompt: "0.0000025", completion: "0.00001", request: "0", image: "0" },
    top_provider: { context_length: 128000, max_completion_tokens: 16384, is_moderated: false },
    per_request_limits: null,
    supported_parameters: ["max_tokens", "temperature", "top_p", "stop", ...(model.tools ? ["tools", "tool_choice"] : [])],
  };
}

let hugeList: string | undefined;

/** Just over 4 MiB, more than the adapter reads: the real models first, then filler. */
function listModels(scenario: Scenario): Reply {
  if (!scenario.has("huge")) return json(200, { data: openRouterModels.map(modelObject) });
  if (hugeList === undefined) {
    const entries = openRouterModels.map((model) => JSON.stringify(modelObject(model)));
    let size = entries.reduce((sum, entry) => sum + entry.length + 1, 0);
    for (let i = 0; size <= 4.2 * 1024 * 1024; i++) {
      const filler = { id: `emulator/filler-${String(i).padStart(6, "0")}`, name: `Filler ${i}`, created: 1700000000, tools: false };
      const entry = JSON.stringify(modelObject(filler));
      entries.push(entry);
      size += entry.length + 1;
    }
    hugeList = `{"data":[${entries.join(",")}]}`;
  }
  return { status: 200, headers: { "content-type": "application/json" }, body: hugeList };
}

function keyInfo(scenario: Scenario): Reply {
  const key = scenario.key ?? "";
  const limited = keyLimited(scenario);
  return json(200, {
    data: {
      label: `${key.slice(0, 12)}...${key.slice(-3)}`,
      limit: limited ? 10 : null,
      limit_reset: null,
      limit_remaining: limited ? 0 : null,
      include_byok_in_limit: false,
      usage: limited ? 10.0042 : 25.5,
      usage_daily: 0.42,
      usage_weekly: 3.1,
      usage_monthly: 12.5,
      is_free_tier: false,
      is_provisioning_key: false,
    },
  });
}

function toolCall(body: Record<string, unknown>): { name: string; args: Record<string, string> } | undefined {
  const fn = (Array.isArray(body.tools) ? body.tools.filter(isRecord) : []).map((tool) => tool.function).find(isRecord);
  if (!fn || body.tool_choice === "none") return undefined;
  const parameters = isRecord(fn.parameters) ? fn.parameters : {};
  const required = Array.isArray(parameters.required) ? parameters.required.filter((name) => typeof name === "string") : [];
  return { name: typeof fn.name === "string" ? fn.name : "tool", args: Object.fromEntries(required.map((name) => [name, "Paris"])) };
}

function chat(request: ProviderRequest, scenario: Scenario): Reply {
  const parsed = parseJson(request.body);
  if (!parsed.ok || !isRecord(parsed.value)) return openRouterError(400, "Invalid JSON body");
  const body = parsed.value;
  if (typeof body.model !== "string" || !body.model) return openRouterError(400, "No models provided");
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return openRouterError(400, 'Input required: specify "prompt" or "messages"');
  const model = openRouterModels.find((entry) => entry.id === String(body.model).replace(ROUTING_SUFFIX, ""));
  if (!model) return openRouterError(400, `${body.model} is not a valid model ID`);
  const limit = body.max_tokens ?? Number.POSITIVE_INFINITY;
  if (typeof limit !== "number" || !(limit >= 1)) return openRouterError(400, "max_tokens must be a positive integer");
  if (scenario.has("quota")) {
    return keyLimited(scenario)
      ? openRouterError(403, "Key limit exceeded (total limit). Manage it using https://openrouter.ai/settings/keys")
      : openRouterError(402, "Insufficient credits. Add more using https://openrouter.ai/settings/credits");
  }
  const tool = toolCall(body);
  if (tool && (scenario.has("notools") || !model.tools)) {
    return openRouterError(404, `No endpoints found that support tool use. Try disabling "${tool.name}". ${ROUTING_DOCS}`);
  }
  const forced = body.tool_choice === "required" || isRecord(body.tool_choice);
  if (tool && forced && model.forcedChoice === false) {
    return openRouterError(404, `No endpoints found that support the provided 'tool_choice' value. ${ROUTING_DOCS}`);
  }
  if (model.minTokens && limit < model.minTokens) {
    const message = `Invalid 'max_output_tokens': integer below minimum value. Expected a value >= ${model.minTokens}, but got ${limit} instead.`;
    const raw = { error: { message, type: "invalid_request_error", param: "max_output_tokens", code: "integer_below_min_value" } };
    return upstream(400, "OpenAI", JSON.stringify(raw));
  }
  if (scenario.has("ratelimit")) {
    const raw =
      `${model.id} is temporarily rate-limited upstream. Please retry shortly, ` +
      "or add your own key to accumulate your rate limits: https://openrouter.ai/settings/integrations";
    return upstream(429, "OpenAI", raw, { "retry-after": "5" });
  }
  if (scenario.has("overloaded")) {
    return upstream(502, "Anthropic", JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }));
  }

  const tokens = REPLY_TOKENS.slice(0, Math.min(limit, REPLY_TOKENS.length));
  const message = tool
    ? {
        role: "assistant",
        content: "",
        refusal: null,
        reasoning: null,
        tool_calls: [
          {
            id: `call_${randomBytes(12).toString("hex")}`,
            index: 0,
            type: "function",
            function: { name: tool.name, arguments: JSON.stringify(tool.args) },
          },
        ],
      }
    : { role: "assistant", content: tokens.join(""), refusal: null, reasoning: null };
  const finishReason = tool ? "tool_calls" : tokens.length < REPLY_TOKENS.length ? "length" : "stop";
  const promptTokens = Math.ceil(JSON.stringify(body.messages).length / 4) + 3;
  const completionTokens = tool ? 14 : tokens.length;
  return json(200, {
    id: `gen-${Math.floor(Date.now() / 1000)}-${randomBytes(10).toString("hex")}`,
    provider: model.id.split("/")[0] === "openai" ? "OpenAI" : "Emulated",
    model: model.id,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    choices: [{ logprobs: null, finish_reason: finishReason, native_finish_reason: finishReason, index: 0, message }],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  });
}

type Route = { method: "GET" | "POST"; auth: boolean; run(request: ProviderRequest, scenario: Scenario): Reply };

const ROUTES: Record<string, Route> = {
  "/models": { method: "GET", auth: false, run: (_request, scenario) => listModels(scenario) },
  "/key": { method: "GET", auth: true, run: (_request, scenario) => keyInfo(scenario) },
  "/chat/completions": { method: "POST", auth: true, run: chat },
};

export const openrouter: EmulatedProvider = {
  id: "openrouter",
  mount: "/openrouter",
  apiHostPath: `/openrouter${BASE}`,
  credential: bearerKey,
  handle(request) {
    const scenario = scenarioOf(bearerKey(request.headers));
    if (scenario.has("redirect")) return redirect();
    if (scenario.has("error500")) return gatewayErrorPage();
    const rest = request.path.startsWith(`${BASE}/`) ? request.path.slice(BASE.length) : "";
    const route = Object.hasOwn(ROUTES, rest) ? ROUTES[rest] : undefined;
    if (!route) return openRouterError(404, "Not Found");
    if (route.method !== request.method) return openRouterError(405, "Method Not Allowed", undefined, { allow: route.method });
    if (route.auth && scenario.missingKey) return openRouterError(401, "No auth credentials found");
    if (route.auth && scenario.has("bad")) return openRouterError(401, "User not found.");
    return route.run(request, scenario);
  },
};
