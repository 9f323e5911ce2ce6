/**
 * MiniMax at `/minimax` (API Host `…/minimax/v1`): `POST /v1/chat/completions` only (also at
 * `/v1/text/chatcompletion_v2`); no model list (`GET /v1/models` → plain-text `404 page not found`).
 * Like the real API, most errors are HTTP 200 with a non-zero `base_resp.status_code`.
 *
 * Precedence, first match wins: redirect, error500, overloaded (gateway, every path) → unknown
 * path → missing key (1004) → `bad` key (2049) → body (2013) → unknown model (2013) → quota (1008)
 * → ratelimit (1002) → huge (a 2 MiB completion) → the completion (a tool call unless `notools`).
 */
import { randomBytes } from "node:crypto";
import { gatewayErrorPage, json, redirect, text } from "../replies";
import { bearerKey, isRecord, parseJson } from "../request";
import { scenarioOf } from "../scenarios";
import type { EmulatedProvider, ProviderRequest, Reply } from "../types";

export const miniMaxModels = ["MiniMax-M2", "MiniMax-M2.1", "MiniMax-M2.5", "MiniMax-M2.7", "MiniMax-M1", "MiniMax-Text-01"];

// Reasoning models (MiniMax-M*) think aloud in `content` first, so `max_tokens: 1` answers "<think>".
const THINKING_TOKENS = ["<think>", "\n", "The", " user", " wants", " one", " word", ".", "\n", "</think>", "\n\n", "ok"];
const PLAIN_TOKENS = ["O", "K", ".", " This", " is", " the", " emulator", "."];
const CHAT_PATHS = new Set(["/v1/chat/completions", "/v1/text/chatcompletion_v2"]);

/** MiniMax's error answer: HTTP 200 and `base_resp` (`extra` adds the completion skeleton). */
export function baseResp(code: number, message: string, extra: Record<string, unknown> = {}): Reply {
  return json(200, { ...extra, base_resp: { status_code: code, status_msg: message } });
}

function requestId(): string {
  return randomBytes(16).toString("hex");
}

// What MiniMax sends around a `base_resp` error once the key was accepted: an empty completion.
function skeleton(model: string): Record<string, unknown> {
  return {
    id: requestId(),
    choices: null,
    created: Math.floor(Date.now() / 1000),
    model,
    object: "chat.completion",
    usage: { total_tokens: 0, total_characters: 0, prompt_tokens: 0, completion_tokens: 0 },
    input_sensitive: false,
    output_sensitive: false,
    input_sensitive_type: 0,
    output_sensitive_type: 0,
    output_sensitive_int: 0,
  };
}

function toolName(body: Record<string, unknown>): string | undefined {
  if (!Array.isArray(body.tools) || body.tools.length === 0 || body.tool_choice === "none") return undefined;
  const first: unknown = body.tools[0];
  const fn = isRecord(first) && isRecord(first.function) ? first.function : undefined;
  return typeof fn?.name === "string" ? fn.name : "tool";
}

function completion(model: string, message: Record<string, unknown>, finishReason: string, promptTokens: number, completionTokens: number) {
  return {
    id: requestId(),
    choices: [{ finish_reason: finishReason, index: 0, message: { ...message, role: "assistant", name: "MiniMax AI", audio_content: "" } }],
    created: Math.floor(Date.now() / 1000),
    model,
    object: "chat.completion",
    usage: {
      total_tokens: promptTokens + completionTokens,
      total_characters: 0,
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
    },
    input_sensitive: false,
    output_sensitive: false,
    input_sensitive_type: 0,
    output_sensitive_type: 0,
    output_sensitive_int: 0,
    base_resp: { status_code: 0, status_msg: "" },
  };
}

let hugeBody: string | undefined;

/** A valid completion just over 2 MiB (`base_resp` last, as MiniMax orders it). */
function hugeCompletion(model: string): Reply {
  hugeBody ??= JSON.stringify(completion(model, { content: "ok ".repeat(720_000) }, "stop", 10, 720_000));
  return { status: 200, headers: { "content-type": "application/json" }, body: hugeBody };
}

function chat(request: ProviderRequest, hasTools: boolean): Reply {
  const parsed = parseJson(request.body);
  if (!parsed.ok || !isRecord(parsed.value)) return baseResp(2013, "invalid params, request body is not a valid JSON object");
  const body = parsed.value;
  if (typeof body.model !== "string" || body.model === "") return baseResp(2013, "invalid params, model is required");
  const model = body.model;
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return baseResp(2013, "invalid params, messages is required", skeleton(model));
  }
  if (!miniMaxModels.includes(model)) return baseResp(2013, `invalid params, unknown model '${model.slice(0, 100)}'`, skeleton(model));
  const limit = body.max_tokens ?? body.max_completion_tokens;
  if (limit != null && (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1)) {
    return baseResp(2013, "invalid params, max_tokens must be a positive integer", skeleton(model));
  }
  const scenario = scenarioOf(bearerKey(request.headers));
  if (scenario.has("quota")) return baseResp(1008, "insufficient balance", skeleton(model));
  if (scenario.has("ratelimit")) return baseResp(1002, "rate limit exceeded(RPM)", skeleton(model));
  if (scenario.has("huge")) return hugeCompletion(model);

  const promptTokens = Math.ceil(JSON.stringify(body.messages).length / 4) + 20;
  const tool = hasTools ? toolName(body) : undefined;
  if (tool) {
    const call = { id: `call_function_${randomBytes(6).toString("hex")}_1`, type: "function", function: { name: tool, arguments: "{}" } };
    const thought = model.startsWith("MiniMax-M") ? "<think>\nThe user asks me to call the tool.\n</think>\n\n" : "";
    return json(200, completion(model, { content: thought, tool_calls: [call] }, "tool_calls", promptTokens, 18));
  }
  const tokens = model.startsWith("MiniMax-M") ? THINKING_TOKENS : PLAIN_TOKENS;
  const used = tokens.slice(0, Math.min(typeof limit === "number" ? limit : Infinity, tokens.length));
  const finish = used.length < tokens.length ? "length" : "stop";
  return json(200, completion(model, { content: used.join("") }, finish, promptTokens, used.length));
}

export const minimax: EmulatedProvider = {
  id: "minimax",
  mount: "/minimax",
  apiHostPath: "/minimax/v1",
  credential: bearerKey,
  handle(request) {
    const scenario = scenarioOf(bearerKey(request.headers));
    if (scenario.has("redirect")) return redirect();
    if (scenario.has("error500")) return gatewayErrorPage();
    if (scenario.has("overloaded")) {
      return json(529, {
        error: {
          message:
            "The server cluster is currently under high load. Please retry after a short wait and thank you for your patience. (2064)",
          type: "overloaded_error",
          param: "",
          code: null,
        },
      });
    }
    if (request.method !== "POST" || !CHAT_PATHS.has(request.path)) return text(404, "404 page not found");
    if (scenario.missingKey) {
      return baseResp(1004, "login fail: Please carry the API secret key in the 'Authorization' field of the request header");
    }
    if (scenario.has("bad")) return baseResp(2049, "invalid api key");
    return chat(request, !scenario.has("notools"));
  },
};
