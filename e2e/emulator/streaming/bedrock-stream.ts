/**
 * Bedrock's ConverseStream answer in the AWS event stream framing: messageStart,
 * contentBlockDelta… (text, or toolUse input), contentBlockStop, messageStop, metadata (usage,
 * metrics). Each payload carries the `p` padding field real Bedrock adds, and the send time.
 */
import { isRecord } from "../request";
import type { Frame, Reply } from "../types";
import { encodeEvent, EVENT_STREAM_TYPE } from "./event-stream";
import { numberedWords, type StreamPlan } from "./plan";
import { SENT_AT } from "./sse";

type Json = Record<string, unknown>;

const PADDING = "abcdefghijklmnopqrstuvwxyzABCDEF";

function eventFrame(eventType: string, payload: Json, paced = false): Frame {
  return { paced, render: (sentAt) => encodeEvent(eventType, { ...payload, p: PADDING, [SENT_AT]: sentAt }) };
}

/** The Converse answer with its text replaced by the plan's numbered words. */
export function planConverse(answer: Json, plan: StreamPlan): Json {
  const usage = isRecord(answer.usage) ? answer.usage : {};
  const inputTokens = typeof usage.inputTokens === "number" ? usage.inputTokens : 0;
  return {
    ...answer,
    output: { message: { role: "assistant", content: [{ text: numberedWords(plan.chunks).join("") }] } },
    stopReason: "end_turn",
    usage: { inputTokens, outputTokens: plan.chunks, totalTokens: inputTokens + plan.chunks },
  };
}

/** The finished Converse answer (as the non-streaming call would give) as a ConverseStream reply. */
export function converseStream(answer: Json, plan: StreamPlan | undefined, headers: Record<string, string>): Reply {
  const output = isRecord(answer.output) && isRecord(answer.output.message) ? answer.output.message : {};
  const blocks = Array.isArray(output.content) ? output.content.filter(isRecord) : [];
  const frames: Frame[] = [eventFrame("messageStart", { role: "assistant" })];
  blocks.forEach((block, contentBlockIndex) => {
    if (isRecord(block.toolUse)) {
      const { toolUseId, name, input } = block.toolUse;
      frames.push(eventFrame("contentBlockStart", { contentBlockIndex, start: { toolUse: { toolUseId, name } } }));
      frames.push(eventFrame("contentBlockDelta", { contentBlockIndex, delta: { toolUse: { input: JSON.stringify(input ?? {}) } } }, true));
    } else {
      const text = typeof block.text === "string" ? block.text : "";
      const pieces = plan ? numberedWords(plan.chunks) : (text.match(/\s*\S+|\s+$/g) ?? [text]);
      for (const piece of pieces) frames.push(eventFrame("contentBlockDelta", { contentBlockIndex, delta: { text: piece } }, true));
    }
    frames.push(eventFrame("contentBlockStop", { contentBlockIndex }));
  });
  frames.push(eventFrame("messageStop", { stopReason: answer.stopReason }));
  frames.push(eventFrame("metadata", { usage: answer.usage, metrics: answer.metrics ?? { latencyMs: 87 } }));
  const { "content-type": _type, ...rest } = headers;
  return { status: 200, headers: { ...rest, "content-type": EVENT_STREAM_TYPE }, stream: { frames, intervalMs: plan?.intervalMs ?? 0 } };
}
