/**
 * Engine shared by the OpenAI-style providers (OpenAI, Qwen, DeepSeek, OpenAI Compatible): routing,
 * scenario precedence and the model endpoints. Each provider module supplies models and error bodies.
 *
 * Precedence, first match wins: redirect, error500, overloaded (every path, before routing, like a
 * gateway) → unknown path 404 / wrong method 405 (also `GET /models` for a spec without a list or a
 * key containing `nolist`) → missing key → `bad` key → the spec's own key check (Qwen's regions) →
 * the endpoint itself (body, model, token limit, tools, then quota / ratelimit on chat completions;
 * huge on the model list).
 */
import { gatewayErrorPage, json, redirect } from "../replies";
import { bearerKey, decodeSegment } from "../request";
import { scenarioOf, type Scenario } from "../scenarios";
import type { EmulatedProvider, ProviderRequest, Reply } from "../types";
import { chatCompletion } from "./openai-chat";
import { completions, embeddings, files, responses } from "./openai-more";

/** A listed model; `created` is left out where the real API omits it (DeepSeek). */
export type ModelEntry = { id: string; created?: number; owned_by: string };

/** Every error a provider answers, in its own envelope and wording. */
export type OpenAiStyleErrors = {
  missingKey(): Reply;
  invalidKey(key: string): Reply;
  modelNotFound(model: string): Reply;
  quotaExceeded(model: string): Reply;
  rateLimited(model: string): Reply;
  overloaded(): Reply;
  invalidJson(): Reply;
  invalidRequest(message: string, param: string | null, code: string | null): Reply;
  unknownUrl(method: string, path: string): Reply;
  wrongMethod(method: string, path: string, allowed: string): Reply;
};

export type RouteContext = { spec: OpenAiStyleSpec; request: ProviderRequest; scenario: Scenario };

/** Tool calling on chat completions. */
export type ToolBehaviour = {
  /** `tool_choice` strings accepted (default none, auto, required); others get `rejectChoice`. */
  choices?: readonly string[];
  rejectChoice?(value: string): Reply;
  /** What a `notools` key offering tools gets: this error, or (absent) a plain answer calling nothing. */
  unsupported?(model: string): Reply;
};

export type OpenAiStyleRoute = { method: "GET" | "POST"; run(context: RouteContext): Reply };

export type OpenAiStyleSpec = {
  id: string;
  mount: string;
  apiHostPath: string;
  /** API roots below the mount, e.g. ["/v1"]; "" serves at the mount itself. */
  bases: string[];
  /** False for servers that accept requests without a key (local OpenAI-compatible servers). */
  keyRequired: boolean;
  models: ModelEntry[];
  /** Whether `GET /models/{id}` exists. */
  retrieveModel: boolean;
  errors: OpenAiStyleErrors;
  /** Models that reject `max_tokens` and want `max_completion_tokens` (OpenAI reasoning models). */
  maxCompletionTokensOnly?: readonly string[];
  /** More endpoints, by path below a base (e.g. DeepSeek's `/user/balance`). */
  extraRoutes?: Record<string, OpenAiStyleRoute>;
  /** Names chat completions also accept for a listed model (Ollama: `llama3.2` → `llama3.2:latest`). */
  modelAliases?: Record<string, string>;
  /** False for servers without `GET /models` (it then 404s like any unknown path). Default true. */
  modelList?: boolean;
  /** A provider's own key check after the shared ones, given the API root that matched (Qwen's regions). */
  authorize?(context: { request: ProviderRequest; scenario: Scenario; base: string }): Reply | undefined;
  tools?: ToolBehaviour;
};

/** Whether the key contains `word` (case-insensitive), for provider-specific scenario words like `nolist`. */
export function keyHas(scenario: Scenario, word: string): boolean {
  return scenario.key?.toLowerCase().includes(word) ?? false;
}

/** `{"error":{"message","type","param","code"}}`, the envelope OpenAI and its imitators use. */
export function openAiError(
  status: number,
  message: string,
  type: string | null,
  code: string | null,
  param: string | null = null,
  headers: Record<string, string> = {},
): Reply {
  return json(status, { error: { message, type, param, code } }, headers);
}

function modelObject(model: ModelEntry) {
  return model.created === undefined
    ? { id: model.id, object: "model", owned_by: model.owned_by }
    : { id: model.id, object: "model", created: model.created, owned_by: model.owned_by };
}

const hugeLists = new WeakMap<OpenAiStyleSpec, string>();

/** A valid model list just over 2 MiB: the real models first, then fine-tune filler. */
function hugeModelList(spec: OpenAiStyleSpec): Reply {
  let body = hugeLists.get(spec);
  if (body === undefined) {
    const entries = spec.models.map((model) => JSON.stringify(modelObject(model)));
    let size = entries.reduce((sum, entry) => sum + entry.length + 1, 0);
    const base = spec.models[0]?.id ?? "model";
    for (let i = 0; size <= 2.1 * 1024 * 1024; i++) {
      const id = `ft:${base}:emulator-org:filler-${String(i).padStart(6, "0")}:AbCdEf12`;
      const entry = JSON.stringify({ id, object: "model", created: 1720000000 + i, owned_by: "user-emulator" });
      entries.push(entry);
      size += entry.length + 1;
    }
    body = `{"object":"list","data":[${entries.join(",")}]}`;
    hugeLists.set(spec, body);
  }
  return { status: 200, headers: { "content-type": "application/json" }, body };
}

const listModels: OpenAiStyleRoute = {
  method: "GET",
  run: ({ spec, scenario }) =>
    scenario.has("huge") ? hugeModelList(spec) : json(200, { object: "list", data: spec.models.map(modelObject) }),
};

function retrieveModel(rawId: string): OpenAiStyleRoute {
  return {
    method: "GET",
    run: ({ spec }) => {
      const id = decodeSegment(rawId) ?? rawId;
      const model = spec.models.find((entry) => entry.id === id);
      return model ? json(200, modelObject(model)) : spec.errors.modelNotFound(id);
    },
  };
}

const chat: OpenAiStyleRoute = { method: "POST", run: chatCompletion };
const MORE_ROUTES: Partial<Record<string, OpenAiStyleRoute>> = {
  "/completions": completions,
  "/responses": responses,
  "/embeddings": embeddings,
  "/files": files,
};

type Found = { route: OpenAiStyleRoute; base: string };

function findRoute(spec: OpenAiStyleSpec, path: string, scenario: Scenario): Found | undefined {
  const bases = [...spec.bases].sort((a, b) => b.length - a.length);
  const hasList = spec.modelList !== false && !keyHas(scenario, "nolist");
  for (const base of bases) {
    if (base !== "" && !path.startsWith(`${base}/`)) continue;
    const rest = path.slice(base.length);
    if (rest === "/models" && hasList) return { route: listModels, base };
    if (rest === "/chat/completions") return { route: chat, base };
    const more = MORE_ROUTES[rest];
    if (more) return { route: more, base };
    const single = /^\/models\/(.+)$/.exec(rest);
    if (single && spec.retrieveModel) return { route: retrieveModel(single[1]!), base };
    const extra = spec.extraRoutes?.[rest];
    if (extra) return { route: extra, base };
  }
  return undefined;
}

/** Builds the provider module for one OpenAI-style spec (streaming is wrapped around it in the registry). */
export function openAiStyleProvider(spec: OpenAiStyleSpec): EmulatedProvider {
  return {
    id: spec.id,
    mount: spec.mount,
    apiHostPath: spec.apiHostPath,
    credential: bearerKey,
    handle(request) {
      const scenario = scenarioOf(bearerKey(request.headers));
      const { errors } = spec;
      if (scenario.has("redirect")) return redirect();
      if (scenario.has("error500")) return gatewayErrorPage();
      if (scenario.has("overloaded")) return errors.overloaded();
      const found = findRoute(spec, request.path, scenario);
      if (!found) return errors.unknownUrl(request.method, request.path);
      const { route, base } = found;
      if (route.method !== request.method) return errors.wrongMethod(request.method, request.path, route.method);
      if (scenario.missingKey && spec.keyRequired) return errors.missingKey();
      if (scenario.key !== undefined && scenario.has("bad")) return errors.invalidKey(scenario.key);
      const refused = spec.authorize?.({ request, scenario, base });
      if (refused) return refused;
      return route.run({ spec, request, scenario });
    },
  };
}
