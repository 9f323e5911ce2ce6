/**
 * Gemini's OpenAI-compatible endpoint at `/gemini` (API Host `…/gemini/v1beta/openai`): models
 * (ids carry `models/`), chat completions with tools and reasoning_effort, and Google's error
 * envelope: a bad key is a 400, errors from chat come wrapped in an array, unknown paths get
 * Google's HTML 404 page. Thinking models spend a small max_tokens on thinking (no visible output).
 *
 * Precedence, first match wins: redirect, error500, overloaded (every path) → unknown path or
 * wrong method (HTML 404) → two credentials (Bearer and x-goog-api-key: 400) → missing key (403)
 * → `bad` key (400 API_KEY_INVALID) → the endpoint (body, model, reasoning_effort, then quota /
 * ratelimit on chat; huge on the model list).
 */
import { randomBytes, randomInt } from "node:crypto";
import { gatewayErrorPage, html, json, redirect } from "../replies";
import { bearerKey, decodeSegment, headerKey, isRecord, parseJson } from "../request";
import { scenarioOf, type Scenario } from "../scenarios";
import type { EmulatedProvider, ProviderRequest, Reply } from "../types";

type GeminiModel = { id: string; thinking: "always" | "optional" | "never" };

export const geminiModels: readonly GeminiModel[] = [
  { id: "gemini-2.5-flash", thinking: "optional" },
  { id: "gemini-2.5-pro", thinking: "always" },
  { id: "gemini-2.5-flash-lite", thinking: "never" },
  { id: "gemini-2.0-flash", thinking: "never" },
];

const BASE = "/v1beta/openai";
const REPLY_TOKENS = ["O", "K", ".", " This", " is", " the", " emulator", "."];
// Below this max_tokens a thinking model has thought its whole budget away.
const THINKING_TOKENS = 64;

const bare = (id: string) => id.replace(/^models\//, "");
const findModel = (id: string) => geminiModels.find((model) => model.id === bare(id));

/** Google's `{"error":{code,message,status,details}}`; `wrapped` puts it in an array, as chat errors come. */
export function googleError(code: number, status: string, message: string, details: unknown[] = [], wrapped = false): Reply {
  const error = { error: { code, message, status, ...(details.length ? { details } : {}) } };
  return json(code, wrapped ? [error] : error);
}

const API_KEY_INVALID = [
  {
    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
    reason: "API_KEY_INVALID",
    domain: "googleapis.com",
    metadata: { service: "generativelanguage.googleapis.com" },
  },
  {
    "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
    locale: "en-US",
    message: "API key not valid. Please pass a valid API key.",
  },
];

function exhausted(model: string, period: "Day" | "Minute", limit: number, retry: string): Reply {
  const metric = "generativelanguage.googleapis.com/generate_content_free_tier_requests";
  const message =
    "You exceeded your current quota, please check your plan and billing details. For more information on this error, " +
    `head to: https://ai.google.dev/gemini-api/docs/rate-limits.\n* Quota exceeded for metric: ${metric}, limit: ${limit}, ` +
    `model: ${model}\nPlease retry in ${retry}.`;
  const details = [
    {
      "@type": "type.googleapis.com/google.rpc.QuotaFailure",
      violations: [
        {
          quotaMetric: metric,
          quotaId: `GenerateRequestsPer${period}PerProjectPerModel-FreeTier`,
          quotaDimensions: { location: "global", model },
          quotaValue: String(limit),
        },
      ],
    },
    {
      "@type": "type.googleapis.com/google.rpc.Help",
      links: [{ description: "Learn more about Gemini API quotas", url: "https://ai.google.dev/gemini-api/docs/rate-limits" }],
    },
    { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: retry.replace(/\.\d+s$/, "s") },
  ];
  return googleError(429, "RESOURCE_EXHAUSTED", message, details, true);
}

function notFoundPage(path: string): Reply {
  return html(
    404,
    "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error 404 (Not Found)!!1</title>\n" +
      "  <p><b>404.</b> <ins>That’s an error.</ins>\n" +
      `  <p>The requested URL <code>${path}</code> was not found on this server.  <ins>That’s all we know.</ins>\n`,
  );
}

const modelNotFound = (id: string, wrapped: boolean) =>
  googleError(
    404,
    "NOT_FOUND",
    `models/${bare(id)} is not found for API version v1beta, or is not supported for generateContent. ` +
      "Call ListModels to see the list of available models and their supported methods.",
    [],
    wrapped,
  );

const modelObject = (model: GeminiModel) => ({ id: `models/${model.id}`, object: "model", owned_by: "google" });

let hugeList: string | undefined;

function listModels(scenario: Scenario): Reply {
  if (!scenario.has("huge")) return json(200, { object: "list", data: geminiModels.map(modelObject) });
  if (hugeList === undefined) {
    const entries = geminiModels.map((model) => JSON.stringify(modelObject(model)));
    let size = entries.reduce((sum, entry) => sum + entry.length + 1, 0);
    for (let i = 0; size <= 2.1 * 1024 * 1024; i++) {
      const entry = JSON.stringify({
        id: `models/tunedModels/emulator-filler-${String(i).padStart(6, "0")}`,
        object: "model",
        owned_by: "emulator",
      });
      entries.push(entry);
      size += entry.length + 1;
    }
    hugeList = `{"object":"list","data":[${entries.join(",")}]}`;
  }
  return { status: 200, headers: { "content-type": "application/json" }, body: hugeList };
}

function toolCall(body: Record<string, unknown>): { name: string; args: Record<string, string> } | undefined {
  const tools = Array.isArray(body.tools) ? body.tools.filter(isRecord) : [];
  const fn = tools.map((tool) => tool.function).find(isRecord);
  if (!fn || body.tool_choice === "none") return undefined;
  const parameters = isRecord(fn.parameters) ? fn.parameters : {};
  const required = Array.isArray(parameters.required) ? parameters.required.filter((name) => typeof name === "string") : [];
  return { name: typeof fn.name === "string" ? fn.name : "tool", args: Object.fromEntries(required.map((name) => [name, "Paris"])) };
}

function chat(request: ProviderRequest, scenario: Scenario): Reply {
  const invalid = (message: string) => googleError(400, "INVALID_ARGUMENT", message, [], true);
  const parsed = parseJson(request.body);
  if (!parsed.ok || !isRecord(parsed.value)) return invalid("Invalid JSON payload received. Unexpected token.");
  const body = parsed.value;
  if (typeof body.model !== "string" || !body.model) return invalid("* GenerateContentRequest.model: unexpected model name format\n");
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return invalid("* GenerateContentRequest.contents: contents is not specified\n");
  }
  const model = findModel(body.model);
  if (!model) return modelNotFound(body.model, true);
  const limit = body.max_tokens ?? Number.POSITIVE_INFINITY;
  if (typeof limit !== "number" || !(limit >= 1) || (Number.isFinite(limit) && !Number.isInteger(limit))) {
    return invalid("max_tokens must be a positive integer.");
  }
  const effort = body.reasoning_effort;
  if (effort !== undefined && !["none", "minimal", "low", "medium", "high"].includes(String(effort))) {
    return invalid(`Invalid reasoning_effort: ${String(effort)}. Expected one of none, minimal, low, medium, high.`);
  }
  if (effort === "none" && model.thinking === "always") return invalid("Budget 0 is invalid. This model only works in thinking mode.");
  if (scenario.has("quota")) return exhausted(model.id, "Day", 250, "36.429760048s");
  if (scenario.has("ratelimit")) return exhausted(model.id, "Minute", 10, "41.093784312s");

  const thinks = model.thinking === "always" || (model.thinking === "optional" && effort !== "none");
  const thoughtOut = thinks && limit < THINKING_TOKENS;
  const tool = scenario.has("notools") || thoughtOut ? undefined : toolCall(body);
  const tokens = thoughtOut ? [] : REPLY_TOKENS.slice(0, Math.min(limit, REPLY_TOKENS.length));
  const message = tool
    ? {
        role: "assistant",
        tool_calls: [
          { function: { arguments: JSON.stringify(tool.args), name: tool.name }, id: `function-call-${randomInt(1e12)}`, type: "function" },
        ],
      }
    : { content: thoughtOut ? null : tokens.join(""), role: "assistant" };
  const finishReason = tool ? "tool_calls" : tokens.length < REPLY_TOKENS.length ? "length" : "stop";
  const promptTokens = Math.ceil(JSON.stringify(body.messages).length / 4);
  const completionTokens = tool ? 12 : thoughtOut ? limit : tokens.length;
  return json(200, {
    choices: [{ finish_reason: finishReason, index: 0, message }],
    created: Math.floor(Date.now() / 1000),
    id: randomBytes(15).toString("base64url"),
    model: model.id,
    object: "chat.completion",
    usage: { completion_tokens: completionTokens, prompt_tokens: promptTokens, total_tokens: promptTokens + completionTokens },
  });
}

type Route = { method: "GET" | "POST"; run(request: ProviderRequest, scenario: Scenario): Reply };

function findRoute(path: string): Route | undefined {
  if (!path.startsWith(`${BASE}/`)) return undefined;
  const rest = path.slice(BASE.length);
  if (rest === "/models") return { method: "GET", run: (_request, scenario) => listModels(scenario) };
  if (rest === "/chat/completions") return { method: "POST", run: chat };
  const single = /^\/models\/(.+)$/.exec(rest);
  if (!single) return undefined;
  const id = decodeSegment(single[1]!) ?? single[1]!;
  return { method: "GET", run: () => (findModel(id) ? json(200, modelObject(findModel(id)!)) : modelNotFound(id, false)) };
}

export const gemini: EmulatedProvider = {
  id: "gemini",
  mount: "/gemini",
  apiHostPath: `/gemini${BASE}`,
  credential: (headers) => bearerKey(headers) ?? headerKey(headers, "x-goog-api-key"),
  handle(request) {
    const bearer = bearerKey(request.headers);
    const googKey = headerKey(request.headers, "x-goog-api-key");
    const scenario = scenarioOf(bearer ?? googKey);
    if (scenario.has("redirect")) return redirect();
    if (scenario.has("error500")) return gatewayErrorPage();
    if (scenario.has("overloaded")) return googleError(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
    const route = findRoute(request.path);
    if (!route || route.method !== request.method) return notFoundPage(request.path);
    const wrapped = route.method === "POST";
    if (bearer && googKey) {
      return googleError(400, "INVALID_ARGUMENT", "Multiple authentication credentials received. Please pass only one.", [], wrapped);
    }
    if (scenario.missingKey) {
      return googleError(
        403,
        "PERMISSION_DENIED",
        "Method doesn't allow unregistered callers (callers without established identity). " +
          "Please use API Key or other form of API consumer identity to call this API.",
        [],
        wrapped,
      );
    }
    if (scenario.has("bad"))
      return googleError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", API_KEY_INVALID, wrapped);
    return route.run(request, scenario);
  },
};
