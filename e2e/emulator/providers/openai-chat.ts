/**
 * `POST …/chat/completions` for the OpenAI-style engine: body checks, model, token limit, tools.
 * Offered tools are called (any tool_choice but "none") unless the key says `notools`: then the
 * spec's "unsupported" error, or a plain answer that calls nothing.
 */
import { randomBytes } from "node:crypto";
import { json } from "../replies";
import { isRecord, parseJson } from "../request";
import type { Reply } from "../types";
import type { OpenAiStyleSpec, RouteContext } from "./openai-style";

// "OK. This is the emulator." cut into tokens, so `max_tokens: 1` answers "O".
const REPLY_TOKENS = ["O", "K", ".", " This", " is", " the", " emulator", "."];

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The completion budget asked for, or the error a real API gives for a bad one. */
function tokenLimit(spec: OpenAiStyleSpec, body: Record<string, unknown>, model: string): number | Reply {
  const { errors } = spec;
  if (body.max_tokens != null && spec.maxCompletionTokensOnly?.includes(model)) {
    return errors.invalidRequest(
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      "max_tokens",
      "unsupported_parameter",
    );
  }
  const name = body.max_completion_tokens != null ? "max_completion_tokens" : "max_tokens";
  const value = body[name];
  if (value == null) return Number.POSITIVE_INFINITY;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    return errors.invalidRequest(
      `Invalid type for '${name}': expected an integer, but got ${typeName(value)} instead.`,
      name,
      "invalid_type",
    );
  }
  if (value < 1) {
    return errors.invalidRequest(
      `Invalid '${name}': integer below minimum value. Expected a value >= 1, but got ${value} instead.`,
      name,
      "integer_below_min_value",
    );
  }
  return value;
}

/** Name of the first function tool, when the request offers tools and wants them used. */
function toolToCall(body: Record<string, unknown>): string | undefined {
  if (!Array.isArray(body.tools) || body.tools.length === 0 || body.tool_choice === "none") return undefined;
  const first: unknown = body.tools[0];
  const fn = isRecord(first) && isRecord(first.function) ? first.function : undefined;
  return typeof fn?.name === "string" ? fn.name : "tool";
}

/** The error for a tool request this provider (or this `notools` key's model) refuses, if any. */
function toolProblem(context: RouteContext, body: Record<string, unknown>, model: string): Reply | undefined {
  const { spec, scenario } = context;
  if (!Array.isArray(body.tools) || body.tools.length === 0) return undefined;
  const choice = body.tool_choice;
  const accepted = spec.tools?.choices ?? ["none", "auto", "required"];
  if (typeof choice === "string" && !accepted.includes(choice)) {
    return (
      spec.tools?.rejectChoice?.(choice) ??
      spec.errors.invalidRequest(
        `Invalid value: '${choice}'. Supported values are: ${accepted.map((value) => `'${value}'`).join(", ")}.`,
        "tool_choice",
        "invalid_value",
      )
    );
  }
  if (scenario.has("notools") && spec.tools?.unsupported) return spec.tools.unsupported(model);
  return undefined;
}

function randomId(prefix: string, length: number): string {
  return prefix + randomBytes(length).toString("base64url").slice(0, length);
}

export function chatCompletion(context: RouteContext): Reply {
  const { spec, request, scenario } = context;
  const { errors } = spec;
  const parsed = parseJson(request.body);
  if (!parsed.ok) return errors.invalidJson();
  const body = parsed.value;
  if (!isRecord(body)) {
    return errors.invalidRequest(
      `Invalid type for request body: expected an object, but got ${typeName(body)} instead.`,
      null,
      "invalid_type",
    );
  }
  if (typeof body.model !== "string" || body.model === "") {
    return errors.invalidRequest("you must provide a model parameter", null, null);
  }
  if (body.messages === undefined) {
    return errors.invalidRequest("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
  }
  if (!Array.isArray(body.messages)) {
    return errors.invalidRequest(
      `Invalid type for 'messages': expected an array, but got ${typeName(body.messages)} instead.`,
      "messages",
      "invalid_type",
    );
  }
  if (body.messages.length === 0) {
    return errors.invalidRequest(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      "messages",
      "empty_array",
    );
  }
  // A model name holding `ratelimit` is rate limited whatever the key (profile failover tests:
  // one credential's entry refused, the next entry answering).
  if (/ratelimit/i.test(body.model)) return errors.rateLimited(body.model);
  const aliases = spec.modelAliases ?? {};
  const wanted = Object.hasOwn(aliases, body.model) ? aliases[body.model]! : body.model;
  const model = spec.models.find((entry) => entry.id === wanted);
  if (!model) return errors.modelNotFound(body.model);
  const limit = tokenLimit(spec, body, model.id);
  if (typeof limit !== "number") return limit;
  const refused = toolProblem(context, body, model.id);
  if (refused) return refused;
  if (scenario.has("quota")) return errors.quotaExceeded(model.id);
  if (scenario.has("ratelimit")) return errors.rateLimited(model.id);

  const tool = scenario.has("notools") ? undefined : toolToCall(body);
  const tokens = REPLY_TOKENS.slice(0, Math.min(limit, REPLY_TOKENS.length));
  const message = tool
    ? {
        role: "assistant",
        content: null,
        tool_calls: [{ id: randomId("call_", 24), type: "function", function: { name: tool, arguments: "{}" } }],
        refusal: null,
        annotations: [],
      }
    : { role: "assistant", content: tokens.join(""), refusal: null, annotations: [] };
  const finishReason = tool ? "tool_calls" : tokens.length < REPLY_TOKENS.length ? "length" : "stop";
  const promptTokens = Math.ceil(JSON.stringify(body.messages).length / 4) + 3;
  const completionTokens = tool ? 12 : tokens.length;
  return json(200, {
    id: randomId("chatcmpl-", 29),
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: model.id,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: "default",
    system_fingerprint: "fp_emulator",
  });
}
