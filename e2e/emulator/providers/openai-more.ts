/**
 * The OpenAI-style endpoints beyond chat, minimal: legacy `completions`, `responses` and
 * `embeddings`, each with usage; model and key scenarios checked as on chat. Streaming is added
 * around them by streaming/openai-stream.ts.
 */
import { randomBytes } from "node:crypto";
import { json } from "../replies";
import { isRecord, parseJson } from "../request";
import type { Reply } from "../types";
import type { OpenAiStyleRoute, RouteContext } from "./openai-style";

const TEXT = "OK. This is the emulator.";
const EMBEDDING_SIZE = 8;

const id = (prefix: string) => prefix + randomBytes(18).toString("base64url");
const tokensOf = (value: unknown) => Math.ceil(JSON.stringify(value ?? "").length / 4) + 1;

/** The parsed body and the model it names, or the provider's error. */
function checked(context: RouteContext, inputField: string): { body: Record<string, unknown>; model: string } | Reply {
  const { spec, request, scenario } = context;
  const parsed = parseJson(request.body);
  if (!parsed.ok) return spec.errors.invalidJson();
  if (!isRecord(parsed.value))
    return spec.errors.invalidRequest("Invalid type for request body: expected an object.", null, "invalid_type");
  const body = parsed.value;
  if (typeof body.model !== "string" || body.model === "")
    return spec.errors.invalidRequest("you must provide a model parameter", null, null);
  if (body[inputField] === undefined) {
    return spec.errors.invalidRequest(`Missing required parameter: '${inputField}'.`, inputField, "missing_required_parameter");
  }
  const model = spec.models.find((entry) => entry.id === body.model) ?? (body.model.includes("embedding") ? { id: body.model } : undefined);
  if (!model) return spec.errors.modelNotFound(body.model);
  if (scenario.has("quota")) return spec.errors.quotaExceeded(model.id);
  if (scenario.has("ratelimit")) return spec.errors.rateLimited(model.id);
  return { body, model: model.id };
}

const words = (limit: unknown) => {
  const all = TEXT.split(/(?= )/);
  return typeof limit === "number" && limit >= 1 ? all.slice(0, limit).join("") : TEXT;
};

export const completions: OpenAiStyleRoute = {
  method: "POST",
  run: (context) => {
    const found = checked(context, "prompt");
    if ("status" in found) return found;
    const text = words(found.body.max_tokens);
    const input = tokensOf(found.body.prompt);
    const output = text.split(" ").length;
    return json(200, {
      id: id("cmpl-"),
      object: "text_completion",
      created: Math.floor(Date.now() / 1000),
      model: found.model,
      choices: [{ text, index: 0, logprobs: null, finish_reason: text === TEXT ? "stop" : "length" }],
      usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
    });
  },
};

export const responses: OpenAiStyleRoute = {
  method: "POST",
  run: (context) => {
    const found = checked(context, "input");
    if ("status" in found) return found;
    const text = words(found.body.max_output_tokens);
    const input = tokensOf(found.body.input);
    const output = text.split(" ").length;
    return json(200, {
      id: id("resp_"),
      object: "response",
      created_at: Math.floor(Date.now() / 1000),
      status: "completed",
      model: found.model,
      output: [
        {
          type: "message",
          id: "msg_emulator",
          status: "completed",
          role: "assistant",
          content: [{ type: "output_text", text, annotations: [] }],
        },
      ],
      output_text: text,
      usage: { input_tokens: input, output_tokens: output, total_tokens: input + output },
    });
  },
};

export const embeddings: OpenAiStyleRoute = {
  method: "POST",
  run: (context) => {
    const found = checked(context, "input");
    if ("status" in found) return found;
    const inputs = Array.isArray(found.body.input) ? found.body.input : [found.body.input];
    const data = inputs.map((input, index) => ({
      object: "embedding",
      index,
      embedding: Array.from({ length: EMBEDDING_SIZE }, (_, i) => Number(Math.sin(index + i + String(input).length).toFixed(6))),
    }));
    const tokens = tokensOf(found.body.input);
    return json(200, { object: "list", data, model: found.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  },
};

/** `GET /files` answered 200 when reached: a gateway must never forward it (tests check the log). */
export const files: OpenAiStyleRoute = {
  method: "GET",
  run: () =>
    json(200, {
      object: "list",
      data: [
        {
          object: "file",
          id: "file-emulator",
          purpose: "fine-tune",
          filename: "emulator.jsonl",
          bytes: 0,
          created_at: 1733000000,
          status: "processed",
        },
      ],
    }),
};
