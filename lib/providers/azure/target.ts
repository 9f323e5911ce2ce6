/**
 * Where an Azure OpenAI credential points: the resource endpoint, the URL form (classic
 * `/openai/deployments/{name}/…?api-version=` or the newer `/openai/v1/…`), the deployment and
 * the API version, from what the user typed (a pasted "Target URI" is understood too).
 */
import "server-only";
import type { CredentialConfig } from "../types";

export const DEFAULT_AZURE_API_VERSION = "2024-10-21";

export type AzureTarget = {
  form: "classic" | "v1";
  /** Resource endpoint without `/openai…` (`https://res.openai.azure.com`); "" when none was given. */
  endpoint: string;
  /** Host name for results and messages. */
  host: string;
  /** Deployment Name, else one taken from a pasted deployment URL; "" when none. */
  deployment: string;
  /** API Version for the classic form (the v1 form sends none). */
  apiVersion: string;
  /** The deployment to call: the deployment, or in the v1 form Model Type when there is none; "" when none. */
  callee: string;
  /** Chat completions URL, or undefined when there is nothing to call. */
  chatUrl: string | undefined;
  /** The resource's model list (`GET /openai/models?api-version=…` or `/openai/v1/models`). */
  modelsUrl: string;
};

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function hostName(endpoint: string): string {
  try {
    return new URL(endpoint).hostname || endpoint.slice(0, 100);
  } catch {
    return endpoint.slice(0, 100);
  }
}

/**
 * Resolves the URLs to call for an Azure credential. The API Host may be the endpoint
 * (`https://res.openai.azure.com`, with or without `/openai`), the v1 base (`…/openai/v1`) or a
 * pasted full URL (`…/openai/deployments/my-gpt4o/chat/completions?api-version=…`), whose
 * deployment and api-version are used only when the fields are empty. Query strings are dropped.
 */
export function resolveAzureTarget(config: CredentialConfig): AzureTarget {
  const raw = config.apiHost.trim();
  let endpoint = raw.replace(/[?#].*$/, "").replace(/\/+$/, "");
  let rest = "";
  let pastedVersion: string | undefined;
  try {
    const url = new URL(raw);
    const path = url.pathname.replace(/\/+$/, "");
    const match = /^(.*?)\/openai(?:\/(.*))?$/i.exec(path);
    rest = match?.[2] ?? "";
    endpoint = `${url.protocol}//${url.host}${match ? match[1] : path}`;
    pastedVersion = url.searchParams.get("api-version")?.trim() || undefined;
  } catch {
    // Not a URL: kept as typed; the guarded fetch reports it.
  }
  const form = /^v1(\/|$)/i.test(rest) ? "v1" : "classic";
  const pastedDeployment = /^deployments\/([^/]+)/i.exec(rest)?.[1];
  const deployment = config.extra.deploymentName?.trim() || (pastedDeployment ? decode(pastedDeployment) : "");
  const apiVersion = config.extra.apiVersion?.trim() || pastedVersion || DEFAULT_AZURE_API_VERSION;
  const version = encodeURIComponent(apiVersion);
  // Model Type is only a label for Azure (the deployment decides the model), except in the v1 form
  // without a Deployment Name, where it is the `model` sent.
  const callee = form === "v1" ? deployment || config.model.trim() : deployment;
  let chatUrl: string | undefined;
  if (callee && form === "v1") chatUrl = `${endpoint}/openai/v1/chat/completions`;
  if (callee && form === "classic")
    chatUrl = `${endpoint}/openai/deployments/${encodeURIComponent(callee)}/chat/completions?api-version=${version}`;
  return {
    form,
    endpoint,
    host: hostName(endpoint),
    deployment,
    apiVersion,
    callee,
    chatUrl,
    modelsUrl: form === "v1" ? `${endpoint}/openai/v1/models` : `${endpoint}/openai/models?api-version=${version}`,
  };
}
