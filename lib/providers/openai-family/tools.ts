/**
 * The tool-calling probe for OpenAI-style chat completions: the request body (one tiny function,
 * a one-line instruction to call it) and how an answer is judged. Pure, so it is unit-tested.
 */
import "server-only";
import type { Attempt } from "../http-step";
import type { ToolSupport } from "../types";
import { extractError, isRecord, parseJsonBody, providerMessageOf } from "./style";

export type ToolChoice = "required" | "auto";
export type TokenParam = "max_tokens" | "max_completion_tokens";

/** Output budget of the tool probe: enough for a call with `{"city":"Paris"}`, little else. */
export const TOOL_PROBE_MAX_TOKENS = 32;

const WEATHER_TOOL = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Get the current weather for a city.",
    parameters: {
      type: "object",
      properties: { city: { type: "string", description: "City name" } },
      required: ["city"],
    },
  },
} as const;

/** Chat-completions body offering `get_weather` and asking the model to call it. */
export function toolProbeBody(
  model: string,
  toolChoice: ToolChoice,
  tokenParam: TokenParam,
  extraBody: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    model,
    messages: [{ role: "user", content: "What is the weather in Paris? Call the get_weather tool." }],
    tools: [WEATHER_TOOL],
    tool_choice: toolChoice,
    [tokenParam]: TOOL_PROBE_MAX_TOKENS,
    ...extraBody,
  };
}

// A provider saying this model (or server) takes no tools at all.
const TOOLS_UNSUPPORTED =
  /(does not|doesn't|do not|not) support (tools|tool[ _-]?(use|calling|calls?)|function[ _-]?(calling|calls?)|functions)|(tools?|tool[ _-]?(use|calling|calls?)|function[ _-]?(calling|calls?)|functions) (is|are) not (supported|enabled|available)|no endpoints found that support tool use|--enable-auto-tool-choice/i;
const TOOL_CHOICE = /tool[_ ]choice/i;

function errorText(bodyText: string): string {
  const body = parseJsonBody(bodyText);
  const error = extractError(body);
  return [providerMessageOf(error.message, body, bodyText), error.param, error.code, error.type].filter(Boolean).join(" ");
}

/** Whether a 4xx answer objects to the `tool_choice` value (worth one retry with "auto"). */
export function complainsAboutToolChoice(status: number, bodyText: string): boolean {
  if (status !== 400 && status !== 422) return false;
  const error = extractError(parseJsonBody(bodyText));
  return error.param === "tool_choice" || TOOL_CHOICE.test(errorText(bodyText));
}

function hasToolCall(message: unknown): boolean {
  if (!isRecord(message)) return false;
  if (Array.isArray(message.tool_calls) && message.tool_calls.some(isRecord)) return true;
  return isRecord(message.function_call);
}

/**
 * Judges the tool probe's final answer. 2xx with a tool call → supported; 2xx without one →
 * unsupported (unknown when the budget ran out before any visible output, e.g. on reasoning);
 * a 4xx saying tools are not supported (or, after the "auto" retry, rejecting tool_choice again)
 * → unsupported; anything else (auth, model, quota, 5xx, odd bodies) → unknown.
 */
export function toolSupportFrom(status: number, bodyText: string, truncated: boolean, lastChoice: ToolChoice): ToolSupport {
  if (status >= 200 && status < 300) {
    const body = parseJsonBody(bodyText, truncated);
    const choice: unknown = isRecord(body) && Array.isArray(body.choices) ? body.choices[0] : undefined;
    if (!isRecord(choice)) return "unknown";
    if (hasToolCall(choice.message)) return "supported";
    const content = isRecord(choice.message) ? choice.message.content : undefined;
    const silent = content === null || content === undefined || (typeof content === "string" && !content.trim());
    return choice.finish_reason === "length" && silent ? "unknown" : "unsupported";
  }
  if (status !== 400 && status !== 404 && status !== 422) return "unknown";
  const text = errorText(bodyText);
  if (TOOLS_UNSUPPORTED.test(text)) return "unsupported";
  if (lastChoice === "auto" && complainsAboutToolChoice(status, bodyText)) return "unsupported";
  return "unknown";
}

/** toolSupportFrom for the tool probe's last attempt; unknown when it got no answer. */
export function attemptToolSupport(attempt: Attempt, lastChoice: ToolChoice): ToolSupport {
  if ("failed" in attempt) return "unknown";
  const { status, text, truncated } = attempt.response;
  return toolSupportFrom(status, text, truncated, lastChoice);
}
