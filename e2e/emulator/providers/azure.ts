/**
 * Azure OpenAI at `/azure` (API Host `…/azure`, standing in for `https://{resource}.openai.azure.com`).
 * Classic: `POST /openai/deployments/{name}/chat/completions?api-version=…` and
 * `GET /openai/models?api-version=…`; v1: `POST /openai/v1/chat/completions` (deployment as `model`)
 * and `GET /openai/v1/models`. The key is the `api-key` header (v1 also takes Bearer).
 *
 * Precedence, first match wins: redirect, error500, overloaded (gateway, every path) → missing key
 * → `bad` key (Azure checks the key before the path) → unknown path or api-version (404 "Resource
 * not found") → unknown deployment (404 DeploymentNotFound) → body → quota / ratelimit → huge (model
 * list) → the completion (a tool call unless `notools`).
 */
import { gatewayErrorPage, json, redirect } from "../replies";
import { bearerKey, decodeSegment, headerKey, isRecord, parseJson } from "../request";
import { scenarioOf, type Scenario } from "../scenarios";
import type { EmulatedProvider, ProviderRequest, Reply } from "../types";
import { chatCompletion } from "./openai-chat";
import { openAiError, type OpenAiStyleErrors, type OpenAiStyleSpec } from "./openai-style";

/** Deployment name → the model it serves. */
export const azureDeployments: Readonly<Record<string, string>> = {
  "my-gpt4o": "gpt-4o",
  "my-gpt4o-mini": "gpt-4o-mini",
  "my-o3-mini": "o3-mini",
  "my-embedding": "text-embedding-3-small",
};

/** api-version values the classic routes accept; anything else is a 404 "Resource not found". */
export const azureApiVersions: ReadonlySet<string> = new Set([
  "2023-05-15",
  "2024-02-01",
  "2024-06-01",
  "2024-10-21",
  "2024-12-01-preview",
  "2025-01-01-preview",
  "2025-03-01-preview",
  "2025-04-01-preview",
]);

// Versioned model names as Azure reports them in a completion.
const MODEL_VERSIONS: Record<string, string> = {
  "gpt-4o": "gpt-4o-2024-11-20",
  "gpt-4o-mini": "gpt-4o-mini-2024-07-18",
  "o3-mini": "o3-mini-2025-01-31",
};

const azureError = (status: number, code: string, message: string, headers: Record<string, string> = {}): Reply =>
  json(status, { error: { code, message } }, headers);

export const resourceNotFound = (): Reply => azureError(404, "404", "Resource not found");

const missingKey = (): Reply =>
  azureError(
    401,
    "401",
    "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.",
  );

const invalidKey = (): Reply =>
  azureError(
    401,
    "401",
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
  );

const deploymentNotFound = (): Reply =>
  azureError(
    404,
    "DeploymentNotFound",
    "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
  );

function errorsFor(apiVersion: string): OpenAiStyleErrors {
  return {
    missingKey,
    invalidKey,
    modelNotFound: deploymentNotFound,
    // Azure documents no credit-balance error; this is the 429 `insufficient_quota` it may send.
    quotaExceeded: () =>
      openAiError(
        429,
        "You exceeded your current quota, please check your plan and billing details.",
        "insufficient_quota",
        "insufficient_quota",
      ),
    rateLimited: () =>
      azureError(
        429,
        "429",
        `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ${apiVersion} have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`,
        { "retry-after": "6", "x-ratelimit-remaining-requests": "0", "x-ratelimit-remaining-tokens": "0" },
      ),
    overloaded: () =>
      azureError(503, "ServiceUnavailable", "The service is temporarily unable to process your request. Please try again later."),
    invalidJson: () => openAiError(400, "We could not parse the JSON body of your request.", "invalid_request_error", null),
    invalidRequest: (message, param, code) => openAiError(400, message, "invalid_request_error", code, param),
    unknownUrl: resourceNotFound,
    wrongMethod: resourceNotFound,
  };
}

// The chat engine shared with OpenAI, fed the deployment's model.
const chatModels = [...new Set(Object.values(azureDeployments))].map((id) => ({ id, owned_by: "system" }));
const specFor = (apiVersion: string): OpenAiStyleSpec => ({
  id: "azure",
  mount: "/azure",
  apiHostPath: "/azure",
  bases: [""],
  keyRequired: true,
  models: chatModels,
  retrieveModel: false,
  errors: errorsFor(apiVersion),
  maxCompletionTokensOnly: ["o3-mini"],
});

const FILTER_OK = { filtered: false, severity: "safe" };
const CONTENT_FILTER = { hate: FILTER_OK, self_harm: FILTER_OK, sexual: FILTER_OK, violence: FILTER_OK };

function chat(request: ProviderRequest, scenario: Scenario, apiVersion: string, deployment: string | undefined): Reply {
  const errors = errorsFor(apiVersion);
  const parsed = parseJson(request.body);
  if (!parsed.ok || !isRecord(parsed.value)) return errors.invalidJson();
  const body = parsed.value;
  // v1: the deployment comes as `model`.
  const name = deployment ?? (typeof body.model === "string" ? body.model : "");
  if (!name) return errors.invalidRequest("you must provide a model parameter", null, null);
  const model = Object.hasOwn(azureDeployments, name) ? azureDeployments[name] : undefined;
  if (!model) return deploymentNotFound();
  if (model.startsWith("text-embedding")) {
    return azureError(
      400,
      "OperationNotSupported",
      `The chatCompletion operation does not work with the specified model, ${model}. Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.`,
    );
  }
  const reply = chatCompletion({ spec: specFor(apiVersion), request: { ...request, body: JSON.stringify({ ...body, model }) }, scenario });
  if (reply.status !== 200 || !reply.body) return reply;
  const completion = JSON.parse(reply.body) as Record<string, unknown>;
  delete completion.service_tier;
  const choices = Array.isArray(completion.choices)
    ? completion.choices.map((c: unknown) => (isRecord(c) ? { ...c, content_filter_results: CONTENT_FILTER } : c))
    : [];
  return json(200, {
    ...completion,
    model: MODEL_VERSIONS[model] ?? model,
    choices,
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: CONTENT_FILTER }],
  });
}

const MODEL_LIST = [
  { id: "gpt-4o-2024-11-20", chat: true, created_at: 1732060800 },
  { id: "gpt-4o-mini-2024-07-18", chat: true, created_at: 1721260800 },
  { id: "gpt-4.1-2025-04-14", chat: true, created_at: 1744588800 },
  { id: "o3-mini-2025-01-31", chat: true, created_at: 1738281600 },
  { id: "text-embedding-3-small", chat: false, created_at: 1705881600 },
  { id: "dall-e-3-3.0", chat: false, created_at: 1697846400 },
];

function modelEntry(id: string, chatCapable: boolean, createdAt: number) {
  return {
    status: "succeeded",
    capabilities: {
      fine_tune: false,
      inference: true,
      completion: false,
      chat_completion: chatCapable,
      embeddings: id.startsWith("text-embedding"),
    },
    lifecycle_status: "generally-available",
    deprecation: { inference: createdAt + 2 * 365 * 86400 },
    id,
    created_at: createdAt,
    object: "model",
  };
}

let hugeList: string | undefined;

function listModels(scenario: Scenario): Reply {
  const entries = MODEL_LIST.map((m) => JSON.stringify(modelEntry(m.id, m.chat, m.created_at)));
  if (scenario.has("huge")) {
    if (hugeList === undefined) {
      let size = entries.reduce((sum, entry) => sum + entry.length + 1, 0);
      for (let i = 0; size <= 2.1 * 1024 * 1024; i++) {
        const entry = JSON.stringify(modelEntry(`gpt-4o-mini-2024-07-18.ft-${String(i).padStart(6, "0")}emulator`, true, 1721260800 + i));
        entries.push(entry);
        size += entry.length + 1;
      }
      hugeList = `{"data":[${entries.join(",")}],"object":"list"}`;
    }
    return { status: 200, headers: { "content-type": "application/json" }, body: hugeList };
  }
  return { status: 200, headers: { "content-type": "application/json" }, body: `{"data":[${entries.join(",")}],"object":"list"}` };
}

function route(request: ProviderRequest, scenario: Scenario): Reply {
  const version = request.query.get("api-version");
  const v1 = /^\/openai\/v1(\/|$)/.test(request.path);
  if (v1) {
    // The v1 API takes no dated api-version.
    if (version !== null && version !== "v1" && version !== "preview") return azureError(400, "BadRequest", "API version not supported");
    if (request.path === "/openai/v1/chat/completions" && request.method === "POST") return chat(request, scenario, "v1", undefined);
    if (request.path === "/openai/v1/models" && request.method === "GET") return listModels(scenario);
    return resourceNotFound();
  }
  if (version === null || !azureApiVersions.has(version)) return resourceNotFound();
  if (request.path === "/openai/models" && request.method === "GET") return listModels(scenario);
  const deployment = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(request.path)?.[1];
  if (deployment !== undefined && request.method === "POST")
    return chat(request, scenario, version, decodeSegment(deployment) ?? deployment);
  return resourceNotFound();
}

export const azure: EmulatedProvider = {
  id: "azure",
  mount: "/azure",
  apiHostPath: "/azure",
  credential: (headers) => headerKey(headers, "api-key") ?? bearerKey(headers),
  handle(request) {
    const apiKey = headerKey(request.headers, "api-key");
    const bearer = bearerKey(request.headers);
    const scenario = scenarioOf(apiKey ?? bearer);
    if (scenario.has("redirect")) return redirect();
    if (scenario.has("error500")) return gatewayErrorPage();
    if (scenario.has("overloaded")) return errorsFor("v1").overloaded();
    if (apiKey === undefined && bearer !== undefined && !/^\/openai\/v1(\/|$)/.test(request.path)) {
      // Classic routes read a Bearer header as a Microsoft Entra token, which an API key is not.
      return azureError(
        401,
        "401",
        "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.",
      );
    }
    if (scenario.missingKey) return missingKey();
    if (scenario.has("bad")) return invalidKey();
    return route(request, scenario);
  },
};
