/**
 * Azure OpenAI adapter. A resource-scoped key has no cheap key-only check, but Azure checks the
 * key before the deployment, so ONE 1-token chat on the deployment reports key, then deployment
 * (the model), then quota. Auth is the `api-key` header, never Bearer, never the URL.
 */
import "server-only";
import type { GuardedResponse } from "@/lib/net/types";
import { credentialKeys, jsonClient, unreachableFrom, type FetchOptions, type JsonClient } from "../http-step";
import { wantsMaxCompletionTokens } from "../openai-family/classify";
import { cleanProviderMessage, extractError, parseJsonBody } from "../openai-family/style";
import { complainsAboutToolChoice, toolProbeBody, toolSupportFrom, type TokenParam, type ToolChoice } from "../openai-family/tools";
import type { CredentialConfig, ProviderAdapter, ToolSupport, ValidateOptions, ValidationResult } from "../types";
import { azureModelIds, classifyAzure, type AzureClassifyOptions } from "./classify";
import { resolveAzureTarget, type AzureTarget } from "./target";

export { classifyAzure } from "./classify";

export type AzureAdapterOptions = FetchOptions;

const PROBE_MESSAGE = "Reply with one word: ok";
const NO_DEPLOYMENT = "No Deployment Name: Azure OpenAI calls a deployment of your resource, by the name you gave it in Azure AI Foundry.";

type Context = { target: AzureTarget; secrets: string[]; http: JsonClient };

/** Creates the Azure OpenAI adapter. */
export function createAzureAdapter(options: AzureAdapterOptions = {}): ProviderAdapter {
  const contextOf = (config: CredentialConfig, signal: AbortSignal): Context => {
    const target = resolveAzureTarget(config);
    const { apiKey, secrets } = credentialKeys(config);
    const headers: Record<string, string> = { accept: "application/json", "content-type": "application/json" };
    if (apiKey) headers["api-key"] = apiKey;
    return { target, secrets, http: jsonClient({ ...options, signal, headers, secrets, host: target.host }) };
  };

  // The v1 form names the deployment as `model`; the classic form has it in the path.
  const chatBody = (ctx: Context, body: Record<string, unknown>): Record<string, unknown> =>
    ctx.target.form === "v1" ? { model: ctx.target.callee, ...body } : body;

  return {
    async validate(config: CredentialConfig, { signal }: ValidateOptions): Promise<ValidationResult> {
      const ctx = contextOf(config, signal);
      const { target } = ctx;
      if (!target.endpoint) {
        return {
          outcome: "unreachable",
          step: "key",
          host: "",
          reason: "No API Host: enter the resource endpoint, https://{resource}.openai.azure.com.",
        };
      }
      const classify = (response: GuardedResponse, kind: AzureClassifyOptions["kind"]): ValidationResult => ({
        ...classifyAzure(response.status, response.text, {
          kind,
          secrets: ctx.secrets,
          truncated: response.truncated,
          form: target.form,
          apiVersion: target.apiVersion,
        }),
        host: target.host,
      });
      try {
        if (!target.chatUrl) {
          // Nothing to call: still report a bad key first (the model list spends nothing).
          const listed = classify(await ctx.http.send(target.modelsUrl), "models");
          if (listed.outcome !== "valid") return listed;
          return { outcome: "invalid_model", step: "model", host: target.host, providerMessage: NO_DEPLOYMENT };
        }
        const messages = [{ role: "user", content: PROBE_MESSAGE }];
        let response = await ctx.http.send(target.chatUrl, chatBody(ctx, { messages, max_tokens: 1 }));
        // o-series deployments want max_completion_tokens.
        if (wantsMaxCompletionTokens(response.status, response.text)) {
          response = await ctx.http.send(target.chatUrl, chatBody(ctx, { messages, max_completion_tokens: 1 }));
        }
        return classify(response, "chat");
      } catch (error) {
        return unreachableFrom(error, "key", ctx.secrets, target.host);
      }
    },

    async listModels(config: CredentialConfig, { signal }: ValidateOptions): Promise<string[] | null> {
      const ctx = contextOf(config, signal);
      if (!ctx.target.endpoint) throw new Error("No API Host.");
      const response = await ctx.http.send(ctx.target.modelsUrl);
      const ids = response.status >= 200 && response.status < 300 ? azureModelIds(response.text, response.truncated) : undefined;
      if (ids) return ids;
      const message = cleanProviderMessage(extractError(parseJsonBody(response.text, response.truncated)).message, ctx.secrets);
      throw new Error(`Azure OpenAI model list failed: HTTP ${response.status}${message ? `: ${message}` : ""}`);
    },

    async checkTools(config: CredentialConfig, { signal }: ValidateOptions): Promise<ToolSupport> {
      const ctx = contextOf(config, signal);
      const url = ctx.target.chatUrl;
      if (!ctx.target.endpoint || !url) return "unknown";
      let choice: ToolChoice = "required";
      let tokens: TokenParam = "max_tokens";
      try {
        const probe = () => ctx.http.send(url, toolProbeBody(ctx.target.callee, choice, tokens));
        let response = await probe();
        if (wantsMaxCompletionTokens(response.status, response.text)) {
          tokens = "max_completion_tokens";
          response = await probe();
        }
        if (complainsAboutToolChoice(response.status, response.text)) {
          choice = "auto";
          response = await probe();
        }
        return toolSupportFrom(response.status, response.text, response.truncated, choice);
      } catch {
        return "unknown";
      }
    },
  };
}

export const azureAdapter: ProviderAdapter = createAzureAdapter();
