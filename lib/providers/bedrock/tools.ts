/**
 * Converse request bodies for Bedrock validation (the 1-token probe, the tool probe) and how a
 * tool probe's answer is judged. Pure, so it is unit-tested.
 */
import "server-only";
import { isRecord, parseJsonBody } from "../openai-family/style";
import type { ToolSupport } from "../types";
import { bedrockErrorInfo } from "./classify";

/** Output budget of the tool probe: enough for a toolUse with `{"city":"Paris"}`, little else. */
export const TOOL_PROBE_MAX_TOKENS = 32;

export type BedrockToolChoice = "any" | "auto";

/** The invocation check: one short user message, at most one output token. */
export function converseProbeBody(): Record<string, unknown> {
  return { messages: [{ role: "user", content: [{ text: "hi" }] }], inferenceConfig: { maxTokens: 1 } };
}

/** A Converse body offering `get_weather`; "any" forces a tool call, "auto" (no toolChoice) invites one. */
export function toolProbeBody(choice: BedrockToolChoice): Record<string, unknown> {
  const tool = {
    toolSpec: {
      name: "get_weather",
      description: "Get the current weather for a city.",
      inputSchema: {
        json: { type: "object", properties: { city: { type: "string", description: "City name" } }, required: ["city"] },
      },
    },
  };
  return {
    messages: [{ role: "user", content: [{ text: "What is the weather in Paris? Call the get_weather tool." }] }],
    inferenceConfig: { maxTokens: TOOL_PROBE_MAX_TOKENS },
    toolConfig: choice === "any" ? { tools: [tool], toolChoice: { any: {} } } : { tools: [tool] },
  };
}

// "This model doesn't support tool use." and relatives.
const TOOLS_UNSUPPORTED = /(does not|doesn't|do not|not) support (tools|tool[ _-]?(use|calling|calls?)|function[ _-]?calling)/i;
const TOOL_CHOICE = /toolchoice|tool_choice|tool choice/i;

function validationMessage(status: number, bodyText: string, errorTypeHeader?: string | null): string | undefined {
  if (status !== 400) return undefined;
  const { type, message } = bedrockErrorInfo(parseJsonBody(bodyText), errorTypeHeader);
  if (type !== undefined && type.toLowerCase() !== "validationexception") return undefined;
  return message;
}

/** Whether a 400 objects to `toolChoice` (only some models take `any`): worth one retry without it. */
export function complainsAboutToolChoice(status: number, bodyText: string, errorTypeHeader?: string | null): boolean {
  const message = validationMessage(status, bodyText, errorTypeHeader);
  return message !== undefined && TOOL_CHOICE.test(message) && !TOOLS_UNSUPPORTED.test(message);
}

function hasToolUse(content: unknown): boolean {
  return Array.isArray(content) && content.some((block) => isRecord(block) && isRecord(block.toolUse));
}

function hasText(content: unknown): boolean {
  return Array.isArray(content) && content.some((block) => isRecord(block) && typeof block.text === "string" && block.text.trim() !== "");
}

/**
 * Judges a tool probe's answer. 2xx with a toolUse block → supported; 2xx without one →
 * unsupported (unknown when the budget ran out before any text, e.g. on reasoning); a
 * ValidationException saying the model does not support tool use (or, on the retry without
 * toolChoice, rejecting it again) → unsupported; anything else → unknown.
 */
export function toolSupportFrom(
  status: number,
  bodyText: string,
  truncated: boolean,
  choice: BedrockToolChoice,
  errorTypeHeader?: string | null,
): ToolSupport {
  if (status >= 200 && status < 300) {
    const body = parseJsonBody(bodyText, truncated);
    const message = isRecord(body) && isRecord(body.output) ? body.output.message : undefined;
    if (!isRecord(message)) return "unknown";
    if (hasToolUse(message.content)) return "supported";
    return isRecord(body) && body.stopReason === "max_tokens" && !hasText(message.content) ? "unknown" : "unsupported";
  }
  const message = validationMessage(status, bodyText, errorTypeHeader);
  if (message === undefined) return "unknown";
  if (TOOLS_UNSUPPORTED.test(message)) return "unsupported";
  if (choice === "auto" && TOOL_CHOICE.test(message)) return "unsupported";
  return "unknown";
}
