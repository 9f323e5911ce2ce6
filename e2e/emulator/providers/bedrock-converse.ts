/**
 * Bedrock's model table and `POST /model/{modelId}/converse` for the emulator: model ids, inference
 * profiles and ARNs, Bedrock's validation messages, quota/throttling, text and toolUse answers.
 */
import { randomBytes } from "node:crypto";
import { json } from "../replies";
import { decodeSegment, isRecord, parseJson } from "../request";
import type { Scenario } from "../scenarios";
import type { Reply } from "../types";
import { awsError } from "./bedrock-auth";

export type BedrockModel = {
  modelId: string;
  modelName: string;
  providerName: string;
  inputModalities: string[];
  outputModalities: string[];
  inferenceTypesSupported: string[];
  /** Whether `toolConfig.toolChoice.any` is accepted (Anthropic, Nova, Mistral Large on Bedrock). */
  toolChoiceAny?: boolean;
};

function model(
  modelId: string,
  modelName: string,
  providerName: string,
  io: [inputs: string[], outputs: string[]],
  inferenceTypesSupported: string[],
  toolChoiceAny = false,
): BedrockModel {
  return { modelId, modelName, providerName, inputModalities: io[0], outputModalities: io[1], inferenceTypesSupported, toolChoiceAny };
}

const TEXT = ["TEXT"];
const TEXT_IMAGE = ["TEXT", "IMAGE"];
const ON_DEMAND = ["ON_DEMAND"];
const BOTH = ["ON_DEMAND", "INFERENCE_PROFILE"];

export const BEDROCK_MODELS: readonly BedrockModel[] = [
  model("anthropic.claude-3-5-sonnet-20240620-v1:0", "Claude 3.5 Sonnet", "Anthropic", [TEXT_IMAGE, TEXT], ON_DEMAND, true),
  // Provisioned-throughput variant: listed, not invocable on demand.
  model("anthropic.claude-3-haiku-20240307-v1:0:48k", "Claude 3 Haiku", "Anthropic", [TEXT_IMAGE, TEXT], ["PROVISIONED"], true),
  // Served only through inference profiles (`us.anthropic.…`).
  model("anthropic.claude-sonnet-4-20250514-v1:0", "Claude Sonnet 4", "Anthropic", [TEXT_IMAGE, TEXT], ["INFERENCE_PROFILE"], true),
  model("amazon.nova-micro-v1:0", "Nova Micro", "Amazon", [TEXT, TEXT], BOTH, true),
  model("amazon.nova-lite-v1:0", "Nova Lite", "Amazon", [["TEXT", "IMAGE", "VIDEO"], TEXT], BOTH, true),
  // Takes tools, but not toolChoice any.
  model("meta.llama3-1-8b-instruct-v1:0", "Llama 3.1 8B Instruct", "Meta", [TEXT, TEXT], BOTH),
  model("amazon.titan-embed-text-v2:0", "Titan Text Embeddings V2", "Amazon", [TEXT, ["EMBEDDING"]], ON_DEMAND),
  model(
    "amazon.titan-image-generator-v2:0",
    "Titan Image Generator G1 v2",
    "Amazon",
    [TEXT_IMAGE, ["IMAGE"]],
    ["ON_DEMAND", "PROVISIONED"],
  ),
];

const validation = (message: string) => awsError(400, "ValidationException", message);
const INVALID_ID = () => validation("The provided model identifier is invalid.");

// arn:aws:bedrock:us-east-1::foundation-model/<id>, arn:aws:bedrock:us-east-1:123456789012:inference-profile/<profile>
const ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:(\d{12})?:(foundation-model|inference-profile)\/(.+)$/;
const PROFILE = /^(us|eu|apac|us-gov|ca|jp|au|global)\.(.+)$/;

/** The model a Converse id (id, profile id or ARN) names, or the error Bedrock answers. */
function resolveModel(rawId: string): BedrockModel | Reply {
  const decoded = decodeSegment(rawId);
  if (!decoded) return INVALID_ID();
  if (decoded.toLowerCase().includes("noaccess")) {
    return awsError(403, "AccessDeniedException", "You don't have access to the model with the specified model ID.");
  }
  const arn = ARN.exec(decoded);
  const id = arn ? arn[3]! : decoded;
  const profile = PROFILE.exec(id);
  if (profile && (!arn || arn[2] === "inference-profile")) {
    const base = BEDROCK_MODELS.find((model) => model.modelId === profile[2]);
    return base?.inferenceTypesSupported.includes("INFERENCE_PROFILE") ? base : INVALID_ID();
  }
  const model = BEDROCK_MODELS.find((entry) => entry.modelId === id);
  if (!model || (arn && arn[2] !== "foundation-model")) return INVALID_ID();
  if (!model.outputModalities.includes("TEXT")) {
    return validation("This action doesn't support the model that you provided. Try again with a supported text or chat model.");
  }
  if (!model.inferenceTypesSupported.includes("ON_DEMAND")) {
    return validation(
      `Invocation of model ID ${model.modelId} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
    );
  }
  return model;
}

function checkMessages(messages: unknown): Reply | undefined {
  if (!Array.isArray(messages)) {
    return validation("1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null");
  }
  const first: unknown = messages[0];
  if (!isRecord(first) || first.role !== "user" || !Array.isArray(first.content) || first.content.length === 0) {
    return validation("A conversation must start with a user message. Try again with a conversation that starts with a user message.");
  }
  return undefined;
}

function maxTokensOf(config: unknown): number | Reply {
  const value = isRecord(config) ? config.maxTokens : undefined;
  if (value === undefined) return Number.POSITIVE_INFINITY;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    return validation(
      `1 validation error detected: Value '${String(value)}' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    );
  }
  return value;
}

/** The tool to call, or the error for a toolConfig this model or key refuses; undefined without toolConfig. */
function toolToCall(toolConfig: unknown, model: BedrockModel, scenario: Scenario): { name: string } | Reply | undefined {
  if (toolConfig === undefined) return undefined;
  const tools = isRecord(toolConfig) ? toolConfig.tools : undefined;
  if (!Array.isArray(tools) || tools.length === 0) {
    return validation(
      "1 validation error detected: Value at 'toolConfig.tools' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (scenario.has("notools")) return validation("This model doesn't support tool use.");
  const choice = isRecord(toolConfig) && isRecord(toolConfig.toolChoice) ? toolConfig.toolChoice : undefined;
  for (const kind of ["any", "tool"]) {
    if (choice && kind in choice && !model.toolChoiceAny) {
      return validation(
        `This model doesn't support the toolConfig.toolChoice.${kind} field. Remove toolConfig.toolChoice.${kind} and try again.`,
      );
    }
  }
  const first: unknown = tools[0];
  const spec = isRecord(first) && isRecord(first.toolSpec) ? first.toolSpec : undefined;
  return { name: typeof spec?.name === "string" ? spec.name : "tool" };
}

// "OK. This is the emulator." cut into tokens, so maxTokens 1 answers "O".
const REPLY_TOKENS = ["O", "K", ".", " This", " is", " the", " emulator", "."];

/** Converse for one model id as it appears in the path (still percent-encoded). */
export function converse(rawModelId: string, bodyText: string, scenario: Scenario): Reply {
  const parsed = parseJson(bodyText);
  if (!parsed.ok || !isRecord(parsed.value)) return awsError(400, "SerializationException", "Could not parse the request body as JSON.");
  const body = parsed.value;
  const model = resolveModel(rawModelId);
  if ("status" in model) return model;
  const invalidMessages = checkMessages(body.messages);
  if (invalidMessages) return invalidMessages;
  const limit = maxTokensOf(body.inferenceConfig);
  if (typeof limit !== "number") return limit;
  const tool = toolToCall(body.toolConfig, model, scenario);
  if (tool && "status" in tool) return tool;
  if (scenario.has("quota")) {
    return awsError(
      400,
      "ServiceQuotaExceededException",
      "Your request exceeds the service quota for your account. You can view your service quotas at https://docs.aws.amazon.com/general/latest/gr/bedrock.html. You can resubmit your request later.",
    );
  }
  if (scenario.has("ratelimit")) {
    return awsError(429, "ThrottlingException", "Too many requests, please wait before trying again.", { headers: { "retry-after": "2" } });
  }

  const tokens = REPLY_TOKENS.slice(0, Math.min(limit, REPLY_TOKENS.length));
  const content = tool
    ? [{ toolUse: { toolUseId: `tooluse_${randomBytes(16).toString("base64url")}`, name: tool.name, input: { city: "Paris" } } }]
    : [{ text: tokens.join("") }];
  const stopReason = tool ? "tool_use" : tokens.length < REPLY_TOKENS.length ? "max_tokens" : "end_turn";
  const inputTokens = Math.ceil(JSON.stringify(body.messages).length / 4) + (tool ? 300 : 0);
  const outputTokens = tool ? 16 : tokens.length;
  return json(
    200,
    {
      output: { message: { role: "assistant", content } },
      stopReason,
      usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
      metrics: { latencyMs: 87 },
    },
    { "x-amzn-requestid": randomBytes(16).toString("hex") },
  );
}
