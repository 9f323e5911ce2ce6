/**
 * AWS Bedrock adapter: key (ListFoundationModels on the control plane, no tokens spent) → model and
 * invocation together (Converse with maxTokens 1, which accepts foundation-model ids, inference
 * profiles and ARNs alike, so an id missing from the list is never rejected on that ground).
 * Auth is SigV4 for an access key pair, or Bearer for a Bedrock API key (./sign.ts).
 */
import "server-only";
import { env } from "@/lib/env";
import { guardedFetch } from "@/lib/net/guarded-fetch";
import { OutboundError, type GuardedResponse } from "@/lib/net/types";
import { unreachableFrom, type FetchOptions } from "../http-step";
import type { StepVerdict } from "../openai-family/classify";
import { hostOf, isRecord, parseJsonBody } from "../openai-family/style";
import type { CredentialConfig, ProviderAdapter, ToolSupport, ValidateOptions, ValidationResult, ValidationStep } from "../types";
import { classifyBedrock, listNotPermitted } from "./classify";
import { bedrockAuthOf, bedrockEndpoints, bedrockHeaders, type BedrockAuth, type BedrockEndpoints } from "./sign";
import { complainsAboutToolChoice, converseProbeBody, toolProbeBody, toolSupportFrom, type BedrockToolChoice } from "./tools";

export { classifyBedrock } from "./classify";

export type BedrockAdapterOptions = FetchOptions;

// Most model ids kept from a list for suggestions.
const MAX_MODELS = 500;
// Text-output models only: the list is shorter, and it is what Converse can use.
const LIST_PATH = "/foundation-models?byOutputModality=TEXT";
const NO_CREDENTIALS = "No credentials: enter an API Key, or an Access Key ID and a Secret Access Key.";

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;
}

/**
 * Model ids from a ListFoundationModels body (`{modelSummaries:[{modelId,…}]}`), keeping those
 * with TEXT output that can be invoked ON_DEMAND (a missing field keeps the model). Models served
 * only through inference profiles are left out: their invocable ids (`us.…`) are not in this list.
 * Undefined when the body is not such a list.
 */
export function foundationModelIds(body: unknown): string[] | undefined {
  if (!isRecord(body) || !Array.isArray(body.modelSummaries)) return undefined;
  // A Set, and a stop at MAX_MODELS: a list of 10⁵ summaries must not cost 10¹⁰ comparisons.
  const ids = new Set<string>();
  for (const summary of body.modelSummaries) {
    if (ids.size >= MAX_MODELS) break;
    if (!isRecord(summary) || typeof summary.modelId !== "string") continue;
    const id = summary.modelId.trim();
    const outputs = stringList(summary.outputModalities);
    const inference = stringList(summary.inferenceTypesSupported);
    if (!id || id.length > 200 || ids.has(id)) continue;
    if (outputs && !outputs.includes("TEXT")) continue;
    if (inference && !inference.includes("ON_DEMAND")) continue;
    ids.add(id);
  }
  return [...ids];
}

/**
 * The same ids from a list cut at the size cap: each summary object completed before the cut is
 * parsed and filtered like a whole list's.
 */
export function salvageFoundationModelIds(truncatedText: string): string[] {
  const open = /"modelSummaries"\s*:\s*\[/.exec(truncatedText);
  if (!open) return [];
  const summaries: unknown[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let objectStart = 0;
  for (let i = open.index + open[0].length; i < truncatedText.length; i++) {
    const c = truncatedText[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") {
      if (depth === 0) objectStart = i;
      depth++;
    } else if (c === "}") {
      depth--;
      if (depth === 0) summaries.push(parseJsonBody(truncatedText.slice(objectStart, i + 1)));
    } else if (c === "]" && depth === 0) break;
  }
  return foundationModelIds({ modelSummaries: summaries }) ?? [];
}

type Attempt = { response: GuardedResponse } | { failed: OutboundError };

type Session = {
  auth: BedrockAuth;
  endpoints: BedrockEndpoints;
  secrets: string[];
  send(method: "GET" | "POST", url: string, body?: string): Promise<Attempt>;
};

/** Creates the Bedrock adapter. */
export function createBedrockAdapter(options: BedrockAdapterOptions = {}): ProviderAdapter {
  const fetcher = options.fetch ?? guardedFetch;

  function session(config: CredentialConfig, signal: AbortSignal): Session | undefined {
    const auth = bedrockAuthOf(config.secrets);
    if (!auth) return undefined;
    const endpoints = bedrockEndpoints(config.apiHost, config.extra);
    const timeoutMs = options.requestTimeoutMs ?? env.PROVIDER_REQUEST_TIMEOUT_MS;
    return {
      auth,
      endpoints,
      secrets: Object.values(config.secrets).filter(Boolean),
      async send(method, url, body) {
        let headers: Record<string, string>;
        try {
          // Signed per request: X-Amz-Date is part of the signature.
          headers = bedrockHeaders(auth, { method, url, body, region: endpoints.region });
        } catch {
          // Only a URL the signer cannot parse gets here; the guarded fetch would refuse it too.
          return { failed: new OutboundError("invalid_url", hostOf(url), "The API Host is not a valid URL.") };
        }
        try {
          return { response: await fetcher(url, { method, headers, body, timeoutMs, signal }) };
        } catch (error) {
          if (error instanceof OutboundError) return { failed: error };
          throw error;
        }
      },
    };
  }

  const verdictOf = (s: Session, response: GuardedResponse, step: ValidationStep): StepVerdict =>
    classifyBedrock(response.status, response.text, step, {
      secrets: s.secrets,
      truncated: response.truncated,
      errorTypeHeader: response.headers.get("x-amzn-errortype"),
    });

  const modelIdsOf = (response: GuardedResponse): string[] =>
    response.truncated ? salvageFoundationModelIds(response.text) : (foundationModelIds(parseJsonBody(response.text)) ?? []);

  const converseUrl = (s: Session, model: string) => `${s.endpoints.runtime}/model/${encodeURIComponent(model)}/converse`;

  return {
    async validate(config: CredentialConfig, { signal }: ValidateOptions): Promise<ValidationResult> {
      const s = session(config, signal);
      const endpoints = s?.endpoints ?? bedrockEndpoints(config.apiHost, config.extra);
      const runtimeHost = hostOf(endpoints.runtime);
      if (!s)
        return {
          outcome: "invalid_key",
          step: "key",
          host: hostOf(endpoints.control ?? endpoints.runtime),
          providerMessage: NO_CREDENTIALS,
        };

      // 1. Key: ListFoundationModels (skipped for VPC endpoints, whose control plane is elsewhere).
      let models: string[] | undefined;
      if (s.endpoints.control) {
        const controlHost = hostOf(s.endpoints.control);
        const listed = await s.send("GET", `${s.endpoints.control}${LIST_PATH}`);
        if ("failed" in listed) return unreachableFrom(listed.failed, "key", s.secrets, controlHost);
        const { response } = listed;
        // Authenticated but not allowed to list: Converse decides the key too.
        if (!listNotPermitted(response.status, response.text, response.headers.get("x-amzn-errortype"))) {
          const keyVerdict = verdictOf(s, response, "key");
          if (keyVerdict.outcome !== "valid") return { ...keyVerdict, host: controlHost };
          models = modelIdsOf(response);
        }
      }
      const finish = (result: StepVerdict | ValidationResult): ValidationResult => ({
        host: runtimeHost,
        ...result,
        ...(models ? { models } : {}),
      });

      // 2 + 3. Model and invocation: Converse, one output token.
      const model = config.model.trim();
      if (!model) return finish({ outcome: "invalid_model", step: "model" });
      const invoked = await s.send("POST", converseUrl(s, model), JSON.stringify(converseProbeBody()));
      if ("failed" in invoked) return finish(unreachableFrom(invoked.failed, "invocation", s.secrets, runtimeHost));
      return finish(verdictOf(s, invoked.response, "invocation"));
    },

    async listModels(config: CredentialConfig, { signal }: ValidateOptions): Promise<string[] | null> {
      const s = session(config, signal);
      if (!s) throw new Error("AWS Bedrock: no credentials to list models with.");
      if (!s.endpoints.control) return null;
      const listed = await s.send("GET", `${s.endpoints.control}${LIST_PATH}`);
      if ("failed" in listed) throw listed.failed;
      const verdict = verdictOf(s, listed.response, "key");
      if (verdict.outcome !== "valid") {
        const detail = [verdict.providerCode, verdict.httpStatus && `HTTP ${verdict.httpStatus}`].filter(Boolean).join(", ");
        throw new Error(`AWS Bedrock ListFoundationModels failed: ${verdict.outcome}${detail ? ` (${detail})` : ""}`);
      }
      return modelIdsOf(listed.response);
    },

    async checkTools(config: CredentialConfig, { signal }: ValidateOptions): Promise<ToolSupport> {
      try {
        const s = session(config, signal);
        const model = config.model.trim();
        if (!s || !model) return "unknown";
        const probe = async (choice: BedrockToolChoice) => {
          const attempt = await s.send("POST", converseUrl(s, model), JSON.stringify(toolProbeBody(choice)));
          return "failed" in attempt ? undefined : attempt.response;
        };
        // Only some models take toolChoice "any": on a complaint, offer the tool without it.
        let choice: BedrockToolChoice = "any";
        let response = await probe(choice);
        if (response && complainsAboutToolChoice(response.status, response.text, response.headers.get("x-amzn-errortype"))) {
          choice = "auto";
          response = await probe(choice);
        }
        if (!response) return "unknown";
        return toolSupportFrom(response.status, response.text, response.truncated, choice, response.headers.get("x-amzn-errortype"));
      } catch {
        return "unknown";
      }
    },
  };
}

export const bedrockAdapter: ProviderAdapter = createBedrockAdapter();
