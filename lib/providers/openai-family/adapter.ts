/**
 * OpenAI-style adapter: key (GET /models, no tokens spent) → model (in that list, else GET /models/{id})
 * → invocation (POST /chat/completions, 1 token). Its options make the OpenAI-style providers
 * (Qwen, DeepSeek, Z.ai, OpenAI Compatible, …) thin variants of it.
 */
import "server-only";
import type { GuardedResponse } from "@/lib/net/types";
import { createProbe, listRefusedError, listUnreachableError, type FetchOptions, type Probe } from "../http-step";
import type { CredentialConfig, ProviderAdapter, ToolSupport, ValidateOptions, ValidationResult } from "../types";
import { classifyOpenAI, wantsMaxCompletionTokens, type Classifier, type StepVerdict } from "./classify";
import { bearerHeaders, listModelIds, normalizeBaseUrl, parseJsonBody, salvageModelIds } from "./style";
import { attemptToolSupport, complainsAboutToolChoice, toolProbeBody, type TokenParam, type ToolChoice } from "./tools";

export { classifyOpenAI } from "./classify";

export type OpenAIAdapterOptions = FetchOptions & {
  /** Used when the credential has no API Host. */
  defaultApiHost?: string;
  /** Path added to a bare origin (`https://api.openai.com` → `/v1`). */
  defaultPath?: string;
  /** Extra fields for every chat probe (validation and tool check), e.g. Z.ai's `thinking`. */
  extraBody?: Record<string, unknown>;
  /**
   * How `GET /models` is used. "required" (default): it is the key check. "optional": a server
   * without it (404/405/501, or a 2xx that is no list) falls through to the chat call, which
   * decides. "none": validation skips it; listModels returns null unless it answers a list.
   */
  modelList?: "required" | "optional" | "none";
  /**
   * A model missing from a listed set: "retrieve" (default) asks `GET /models/{id}`; "invoke" lets
   * the chat call decide; "reject" is invalid_model at once (for complete lists, e.g. DeepSeek's).
   */
  unlistedModel?: "retrieve" | "invoke" | "reject";
  /** Runs first (e.g. DeepSeek's balance); a result ends validation with it. */
  preCheck?: (probe: Probe) => Promise<ValidationResult | undefined>;
  /** Classifier for every answer; classifyOpenAI by default (wrap it with classifyWithCodes). */
  classify?: Classifier;
  /** First tool_choice of the tool check; "required" by default (retried once as "auto" if refused). */
  toolChoice?: ToolChoice;
};

// Most model ids kept from a list for suggestions.
const MAX_MODELS = 500;
const PROBE_MESSAGE = "Reply with one word: ok";

// A list endpoint the server does not have (local servers, proxies).
function missingEndpoint(response: GuardedResponse, verdict: StepVerdict): boolean {
  if ([404, 405, 501].includes(response.status)) return true;
  return response.status >= 200 && response.status < 300 && verdict.outcome === "provider_error";
}

/** Model ids from a list answer that passed the key step (a list cut at the size cap is salvaged). */
function modelIdsOf(response: GuardedResponse): string[] {
  if (response.truncated) return salvageModelIds(response.text, MAX_MODELS);
  return listModelIds(parseJsonBody(response.text))?.slice(0, MAX_MODELS) ?? [];
}

/** Creates an OpenAI(-style) adapter. */
export function createOpenAIAdapter(options: OpenAIAdapterOptions = {}): ProviderAdapter {
  const defaultApiHost = options.defaultApiHost ?? "https://api.openai.com/v1";
  const defaultPath = options.defaultPath ?? "/v1";
  const classify = options.classify ?? classifyOpenAI;
  const extraBody = options.extraBody ?? {};
  const modelList = options.modelList ?? "required";
  const unlistedModel = options.unlistedModel ?? "retrieve";

  const probeFor = (config: CredentialConfig, signal: AbortSignal): Probe =>
    createProbe(config, signal, {
      base: normalizeBaseUrl(config.apiHost.trim() || defaultApiHost, defaultPath),
      headers: bearerHeaders,
      classify,
      fetch: options.fetch,
      requestTimeoutMs: options.requestTimeoutMs,
    });

  async function validate(config: CredentialConfig, { signal }: ValidateOptions): Promise<ValidationResult> {
    const probe = probeFor(config, signal);
    const { host, model } = probe;
    if (!probe.base) return { outcome: "unreachable", step: "key", reason: "No API Host was given.", host: "" };

    const stopped = options.preCheck ? await options.preCheck(probe) : undefined;
    if (stopped) return stopped;

    // 1. Key: list models (spends nothing).
    let models: string[] | undefined;
    let listComplete = false;
    if (modelList !== "none") {
      const listed = await probe.call("key", "/models");
      if ("failed" in listed) return listed.failed;
      const keyVerdict = probe.verdict(listed.response, "key");
      const skip = modelList === "optional" && keyVerdict.outcome !== "valid" && missingEndpoint(listed.response, keyVerdict);
      if (!skip) {
        if (keyVerdict.outcome !== "valid") return { ...keyVerdict, host };
        models = modelIdsOf(listed.response);
        listComplete = !listed.response.truncated;
      }
    }
    const finish = (result: StepVerdict | ValidationResult): ValidationResult => ({ host, ...result, ...(models ? { models } : {}) });

    // 2. Model: in the list, else per `unlistedModel`.
    if (!model) return finish({ outcome: "invalid_model", step: "model", providerMessage: "No model name was given." });
    if (models && !models.includes(model)) {
      if (unlistedModel === "retrieve") {
        const fetched = await probe.call("model", `/models/${encodeURIComponent(model)}`);
        if ("failed" in fetched) return finish(fetched.failed);
        const modelVerdict = probe.verdict(fetched.response, "model");
        if (modelVerdict.outcome !== "valid") return finish(modelVerdict);
      } else if (unlistedModel === "reject" && listComplete && models.length > 0) {
        return finish({
          outcome: "invalid_model",
          step: "model",
          providerMessage: `The model \`${model.slice(0, 200)}\` is not in this key's model list.`,
        });
      }
    }

    // 3. Invocation: one short message, one token; newer models want max_completion_tokens.
    const messages = [{ role: "user", content: PROBE_MESSAGE }];
    let invoked = await probe.call("invocation", "/chat/completions", { model, messages, max_tokens: 1, ...extraBody });
    if ("response" in invoked && wantsMaxCompletionTokens(invoked.response.status, invoked.response.text)) {
      invoked = await probe.call("invocation", "/chat/completions", { model, messages, max_completion_tokens: 1, ...extraBody });
    }
    if ("failed" in invoked) return finish(invoked.failed);
    return finish(probe.verdict(invoked.response, "invocation"));
  }

  async function listModels(config: CredentialConfig, { signal }: ValidateOptions): Promise<string[] | null> {
    const probe = probeFor(config, signal);
    const listed = await probe.call("key", "/models");
    if ("failed" in listed) throw listUnreachableError(listed.failed);
    const verdict = probe.verdict(listed.response, "key");
    if (verdict.outcome === "valid") return modelIdsOf(listed.response);
    if (modelList === "none" || (modelList === "optional" && missingEndpoint(listed.response, verdict))) return null;
    throw listRefusedError(verdict, listed.response.status);
  }

  async function checkTools(config: CredentialConfig, { signal }: ValidateOptions): Promise<ToolSupport> {
    try {
      const probe = probeFor(config, signal);
      if (!probe.model) return "unknown";
      let choice: ToolChoice = options.toolChoice ?? "required";
      let tokens: TokenParam = "max_tokens";
      const send = () => probe.call("invocation", "/chat/completions", toolProbeBody(probe.model, choice, tokens, extraBody));
      let attempt = await send();
      // At most one retry for each known objection: the token parameter, then tool_choice.
      for (let retries = 0; retries < 2 && "response" in attempt; retries++) {
        const { status, text } = attempt.response;
        if (tokens === "max_tokens" && wantsMaxCompletionTokens(status, text)) tokens = "max_completion_tokens";
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
