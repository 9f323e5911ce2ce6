/**
 * Google Gemini through its OpenAI-compatible endpoint: key (GET /models) → model (in that list,
 * compared without the `models/` prefix the list carries, else GET /models/{id}) → invocation
 * (POST /chat/completions, 1 token). Auth is `Authorization: Bearer` only: adding
 * `x-goog-api-key` too would be two credentials, which Google refuses with a 400.
 */
import "server-only";
import type { GuardedResponse } from "@/lib/net/types";
import { createProbe, listRefusedError, listUnreachableError, type FetchOptions } from "../http-step";
import type { StepVerdict } from "../openai-family/classify";
import { classifyGemini } from "./classify";
import { bearerHeaders, extractError, listModelIds, normalizeBaseUrl, parseJsonBody, salvageModelIds } from "../openai-family/style";
import { attemptToolSupport, complainsAboutToolChoice, toolProbeBody, type ToolChoice } from "../openai-family/tools";
import type { CredentialConfig, ProviderAdapter, ToolSupport, ValidateOptions, ValidationResult } from "../types";

export { classifyGemini } from "./classify";

const DEFAULT_API_HOST = "https://generativelanguage.googleapis.com/v1beta/openai";
const MAX_MODELS = 500;

export type GeminiAdapterOptions = FetchOptions & {
  /** Used when the credential has no API Host. */
  defaultApiHost?: string;
};

/**
 * The OpenAI-compatible root: normalizeBaseUrl, then `/v1beta/openai` on a bare origin and
 * `/openai` after a bare version (`…/v1beta` → `…/v1beta/openai`).
 */
export function geminiBaseUrl(input: string): string {
  const base = normalizeBaseUrl(input);
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return base;
  }
  if (url.pathname === "/" || url.pathname === "") return `${url.origin}/v1beta/openai`;
  if (/\/v1(alpha|beta)?$/i.test(url.pathname)) return `${base}/openai`;
  return base;
}

/** A model id without the `models/` prefix Google's list uses (`models/gemini-2.5-flash` → `gemini-2.5-flash`). */
export function bareModelId(id: string): string {
  return id.trim().replace(/^models\//i, "");
}

function modelIdsOf(response: GuardedResponse): string[] {
  const ids = response.truncated ? salvageModelIds(response.text, MAX_MODELS) : (listModelIds(parseJsonBody(response.text)) ?? []);
  return [...new Set(ids.map(bareModelId))].slice(0, MAX_MODELS);
}

// A 400 objecting to `reasoning_effort: "none"` (e.g. "Budget 0 is invalid. This model only works in thinking mode.").
function refusesNoThinking(status: number, bodyText: string): boolean {
  if (status !== 400) return false;
  return /thinking|budget|reasoning/i.test(extractError(parseJsonBody(bodyText)).message ?? "");
}

/** Creates the Gemini adapter. */
export function createGeminiAdapter(options: GeminiAdapterOptions = {}): ProviderAdapter {
  const session = (config: CredentialConfig, signal: AbortSignal) =>
    createProbe(config, signal, {
      base: geminiBaseUrl(config.apiHost.trim() || options.defaultApiHost || DEFAULT_API_HOST),
      headers: bearerHeaders,
      classify: classifyGemini,
      fetch: options.fetch,
      requestTimeoutMs: options.requestTimeoutMs,
    });

  async function validate(config: CredentialConfig, { signal }: ValidateOptions): Promise<ValidationResult> {
    const { host, model, call, verdict } = session(config, signal);

    // 1. Key: list models (spends nothing). Google answers a bad key with a 400.
    const listed = await call("key", "/models");
    if ("failed" in listed) return listed.failed;
    const keyVerdict = verdict(listed.response, "key");
    if (keyVerdict.outcome !== "valid") return { ...keyVerdict, host };
    const models = modelIdsOf(listed.response);
    const finish = (result: StepVerdict | ValidationResult): ValidationResult => ({ host, ...result, models });

    // 2. Model: in the list (either spelling), else ask for it by id.
    if (!model) return finish({ outcome: "invalid_model", step: "model", providerMessage: "No model name was given." });
    if (!models.includes(bareModelId(model))) {
      const fetched = await call("model", `/models/${encodeURIComponent(bareModelId(model))}`);
      if ("failed" in fetched) return finish(fetched.failed);
      const modelVerdict = verdict(fetched.response, "model");
      if (modelVerdict.outcome !== "valid") return finish(modelVerdict);
    }

    // 3. Invocation: the model as typed, one short message, one token.
    const invoked = await call("invocation", "/chat/completions", {
      model,
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 1,
    });
    if ("failed" in invoked) return finish(invoked.failed);
    return finish(verdict(invoked.response, "invocation"));
  }

  async function listModels(config: CredentialConfig, { signal }: ValidateOptions): Promise<string[]> {
    const { call, verdict } = session(config, signal);
    const listed = await call("key", "/models");
    if ("failed" in listed) throw listUnreachableError(listed.failed);
    const listVerdict = verdict(listed.response, "key");
    if (listVerdict.outcome === "valid") return modelIdsOf(listed.response);
    throw listRefusedError(listVerdict, listed.response.status);
  }

  async function checkTools(config: CredentialConfig, { signal }: ValidateOptions): Promise<ToolSupport> {
    try {
      const { model, call } = session(config, signal);
      if (!model) return "unknown";
      // Thinking would spend the small budget before any call: off where the model allows it.
      let noThinking = true;
      let choice: ToolChoice = "required";
      const send = () =>
        call("invocation", "/chat/completions", toolProbeBody(model, choice, "max_tokens", noThinking ? { reasoning_effort: "none" } : {}));
      let attempt = await send();
      // At most one retry for each known objection: reasoning_effort, then tool_choice.
      for (let retries = 0; retries < 2 && "response" in attempt; retries++) {
        const { status, text } = attempt.response;
        if (noThinking && refusesNoThinking(status, text)) noThinking = false;
        else if (choice === "required" && complainsAboutToolChoice(status, text)) choice = "auto";
        else break;
        attempt = await send();
      }
      return attemptToolSupport(attempt, choice);
    } catch {
      return "unknown";
    }
  }

  return { validate, listModels, checkTools };
}

export const geminiAdapter: ProviderAdapter = createGeminiAdapter();
