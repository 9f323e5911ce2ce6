/**
 * Streaming for the OpenAI-style providers, as a wrapper around each provider's finished answer:
 * a chat completion, a legacy completion or a response becomes SSE chunks when the request says
 * `stream: true` (with a last `choices: []` chunk carrying `usage` when
 * `stream_options.include_usage` is true, then `data: [DONE]`). A stream plan (plan.ts) replaces
 * the content with numbered words, streamed or not.
 */
import { isRecord, parseJson } from "../request";
import type { EmulatedProvider, Frame, ProviderRequest, Reply } from "../types";
import { headerPlan, numberedWords, splitPlan, type StreamPlan } from "./plan";
import { rawFrame, SSE_HEADERS, sseFrame } from "./sse";

type Json = Record<string, unknown>;

const STREAMABLE = /\/(chat\/completions|completions|responses|text\/chatcompletion_v2)$/;

/** The request with any plan taken out of its model name and path segments, and the plan. */
function takePlan(request: ProviderRequest): { request: ProviderRequest; plan?: StreamPlan; body?: Json } {
  let plan = headerPlan(request);
  const segments = request.path.split("/").map((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return segment;
    }
    const split = splitPlan(decoded);
    if (!split.plan) return segment;
    plan ??= split.plan;
    return encodeURIComponent(split.name);
  });
  const parsed = parseJson(request.body);
  let body = parsed.ok && isRecord(parsed.value) ? parsed.value : undefined;
  let text = request.body;
  if (body && typeof body.model === "string") {
    const split = splitPlan(body.model);
    if (split.plan) {
      plan ??= split.plan;
      body = { ...body, model: split.name };
      text = JSON.stringify(body);
    }
  }
  return { request: { ...request, path: segments.join("/"), body: text }, plan, body };
}

function usageWithOutput(usage: unknown, output: number, names: [input: string, output: string]): unknown {
  if (!isRecord(usage)) return usage;
  const input = typeof usage[names[0]] === "number" ? (usage[names[0]] as number) : 0;
  return { ...usage, [names[1]]: output, total_tokens: input + output };
}

/** The answer with its text replaced by the plan's numbered words. */
function applyPlan(answer: Json, plan: StreamPlan): Json {
  const words = numberedWords(plan.chunks).join("");
  if (answer.object === "response") {
    const output = [
      {
        type: "message",
        id: "msg_emulator",
        status: "completed",
        role: "assistant",
        content: [{ type: "output_text", text: words, annotations: [] }],
      },
    ];
    return { ...answer, output, output_text: words, usage: usageWithOutput(answer.usage, plan.chunks, ["input_tokens", "output_tokens"]) };
  }
  const choices = Array.isArray(answer.choices) ? answer.choices : [];
  const replaced = choices.map((choice: unknown) => {
    if (!isRecord(choice)) return choice;
    if (answer.object === "text_completion") return { ...choice, text: words, finish_reason: "stop" };
    const message = isRecord(choice.message) ? choice.message : {};
    return { ...choice, message: { ...message, content: words, tool_calls: undefined }, finish_reason: "stop" };
  });
  return { ...answer, choices: replaced, usage: usageWithOutput(answer.usage, plan.chunks, ["prompt_tokens", "completion_tokens"]) };
}

/** `"OK. This is the emulator."` → `["OK.", " This", " is", …]`; the plan's words as they are. */
function pieces(text: string, plan: StreamPlan | undefined): string[] {
  if (plan) return numberedWords(plan.chunks);
  return text.match(/\s*\S+|\s+$/g) ?? [text];
}

function chatFrames(answer: Json, plan: StreamPlan | undefined, includeUsage: boolean): Frame[] {
  const head = {
    id: answer.id,
    object: "chat.completion.chunk",
    created: answer.created,
    model: answer.model,
    system_fingerprint: answer.system_fingerprint ?? null,
  };
  const usageField = includeUsage ? { usage: null } : {};
  const chunk = (delta: Json, finish: unknown = null, paced = false) =>
    sseFrame({ ...head, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...usageField }, { paced });
  const choice = Array.isArray(answer.choices) && isRecord(answer.choices[0]) ? answer.choices[0] : {};
  const message = isRecord(choice.message) ? choice.message : {};
  const frames: Frame[] = [chunk({ role: "assistant", content: "", refusal: null })];
  if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
    message.tool_calls.forEach((call: unknown, index) => {
      if (!isRecord(call) || !isRecord(call.function)) return;
      frames.push(
        chunk(
          { tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }] },
          null,
          true,
        ),
      );
      frames.push(chunk({ tool_calls: [{ index, function: { arguments: call.function.arguments } }] }, null, true));
    });
  } else {
    for (const piece of pieces(typeof message.content === "string" ? message.content : "", plan))
      frames.push(chunk({ content: piece }, null, true));
  }
  frames.push(chunk({}, choice.finish_reason ?? "stop"));
  if (includeUsage) frames.push(sseFrame({ ...head, choices: [], usage: answer.usage ?? null }));
  return frames;
}

function completionFrames(answer: Json, plan: StreamPlan | undefined, includeUsage: boolean): Frame[] {
  const head = { id: answer.id, object: "text_completion", created: answer.created, model: answer.model };
  const choice = Array.isArray(answer.choices) && isRecord(answer.choices[0]) ? answer.choices[0] : {};
  const frames = pieces(typeof choice.text === "string" ? choice.text : "", plan).map((text) =>
    sseFrame({ ...head, choices: [{ text, index: 0, logprobs: null, finish_reason: null }] }, { paced: true }),
  );
  frames.push(sseFrame({ ...head, choices: [{ text: "", index: 0, logprobs: null, finish_reason: choice.finish_reason ?? "stop" }] }));
  if (includeUsage) frames.push(sseFrame({ ...head, choices: [], usage: answer.usage ?? null }));
  return frames;
}

function responseFrames(answer: Json, plan: StreamPlan | undefined): Frame[] {
  const text = typeof answer.output_text === "string" ? answer.output_text : "";
  const created = { ...answer, status: "in_progress", output: [], usage: null };
  let sequence = 0;
  const event = (type: string, data: Json, paced = false) =>
    sseFrame({ type, sequence_number: sequence++, ...data }, { event: type, paced });
  const frames = [event("response.created", { response: created })];
  for (const delta of pieces(text, plan))
    frames.push(event("response.output_text.delta", { item_id: "msg_emulator", output_index: 0, content_index: 0, delta }, true));
  frames.push(event("response.output_text.done", { item_id: "msg_emulator", output_index: 0, content_index: 0, text }));
  frames.push(event("response.completed", { response: answer }));
  return frames;
}

/** The answer as SSE, or undefined when it is not one this wrapper knows how to stream. */
function toStream(answer: Json, body: Json, plan: StreamPlan | undefined, headers: Record<string, string>): Reply | undefined {
  const options = isRecord(body.stream_options) ? body.stream_options : {};
  const includeUsage = options.include_usage === true;
  let frames: Frame[];
  if (answer.object === "chat.completion") frames = [...chatFrames(answer, plan, includeUsage), rawFrame("data: [DONE]\n\n")];
  else if (answer.object === "text_completion") frames = [...completionFrames(answer, plan, includeUsage), rawFrame("data: [DONE]\n\n")];
  else if (answer.object === "response") frames = responseFrames(answer, plan);
  else return undefined;
  const { "content-type": _type, "content-length": _length, ...rest } = headers;
  return { status: 200, headers: { ...rest, ...SSE_HEADERS }, stream: { frames, intervalMs: plan?.intervalMs ?? 0 } };
}

/** Wraps an OpenAI-style provider so its chat completions, completions and responses can stream. */
export function withOpenAiStreaming(provider: EmulatedProvider): EmulatedProvider {
  return {
    ...provider,
    async handle(original) {
      if (original.method !== "POST" || !STREAMABLE.test(original.path)) return provider.handle(original);
      const { request, plan, body } = takePlan(original);
      const reply = await provider.handle(request);
      if (reply.status !== 200 || !reply.body || !body || (!plan && body.stream !== true)) return reply;
      const parsed = parseJson(reply.body);
      // MiniMax reports errors as a 200 with a non-zero base_resp: those stay as they are.
      if (!parsed.ok || !isRecord(parsed.value) || (isRecord(parsed.value.base_resp) && parsed.value.base_resp.status_code !== 0))
        return reply;
      const answer = plan ? applyPlan(parsed.value, plan) : parsed.value;
      if (body.stream === true) return toStream(answer, body, plan, reply.headers ?? {}) ?? reply;
      return { ...reply, body: JSON.stringify(answer) };
    },
  };
}
