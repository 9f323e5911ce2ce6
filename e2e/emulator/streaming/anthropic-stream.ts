/**
 * Anthropic's message stream: message_start (usage.input_tokens), then per content block
 * content_block_start, content_block_delta… (text_delta or input_json_delta), content_block_stop,
 * then message_delta (stop_reason, usage.output_tokens) and message_stop. A ping after the start.
 */
import { isRecord } from "../request";
import type { Frame, Reply } from "../types";
import { numberedWords, type StreamPlan } from "./plan";
import { SSE_HEADERS, sseFrame } from "./sse";

type Json = Record<string, unknown>;

const event = (type: string, data: Json = {}, paced = false) => sseFrame({ type, ...data }, { event: type, paced });

/** The finished message (as the non-streaming answer would be) as Anthropic's SSE events. */
export function anthropicStream(message: Json, plan: StreamPlan | undefined, headers: Record<string, string> = {}): Reply {
  const usage = isRecord(message.usage) ? message.usage : {};
  const start = { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } };
  const frames: Frame[] = [event("message_start", { message: start }), event("ping")];
  const blocks = Array.isArray(message.content) ? message.content.filter(isRecord) : [];
  blocks.forEach((block, index) => {
    if (block.type === "tool_use") {
      frames.push(event("content_block_start", { index, content_block: { ...block, input: {} } }));
      frames.push(
        event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input ?? {}) } }, true),
      );
    } else {
      const text = typeof block.text === "string" ? block.text : "";
      frames.push(event("content_block_start", { index, content_block: { type: "text", text: "" } }));
      const pieces = plan ? numberedWords(plan.chunks) : (text.match(/\s*\S+|\s+$/g) ?? [text]);
      for (const piece of pieces) frames.push(event("content_block_delta", { index, delta: { type: "text_delta", text: piece } }, true));
    }
    frames.push(event("content_block_stop", { index }));
  });
  frames.push(
    event("message_delta", {
      delta: { stop_reason: message.stop_reason, stop_sequence: null },
      usage: { output_tokens: usage.output_tokens ?? 0 },
    }),
  );
  frames.push(event("message_stop"));
  return { status: 200, headers: { ...headers, ...SSE_HEADERS }, stream: { frames, intervalMs: plan?.intervalMs ?? 0 } };
}
