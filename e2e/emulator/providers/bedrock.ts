/**
 * AWS Bedrock at `/bedrock` (API Host `…/bedrock`, serving both the control plane's
 * `GET /foundation-models` and the runtime's `POST /model/{modelId}/converse` and `/converse-stream`,
 * the latter in AWS's binary event stream framing).
 *
 * Precedence, first match wins: redirect, error500, overloaded (before anything, like a gateway) →
 * unknown operation 404 → authentication (missing, malformed, unknown or `bad` credential, wrong
 * session token, scope, clock skew, signature) → the operation (model errors, then quota /
 * ratelimit / notools on Converse; huge, and the Bedrock-only `nolist` (IAM denies listing), on the
 * list). The scenario comes from the Bearer API key or the SigV4 access key id; a model id
 * containing `noaccess` is refused with AccessDeniedException.
 */
import { gatewayErrorPage, json, redirect } from "../replies";
import { decodeSegment, isRecord, parseJson } from "../request";
import { scenarioOf } from "../scenarios";
import { converseStream, planConverse } from "../streaming/bedrock-stream";
import { headerPlan, splitPlan } from "../streaming/plan";
import type { EmulatedProvider, ProviderRequest, Reply } from "../types";
import { authenticate, awsError, bedrockCredential } from "./bedrock-auth";
import { BEDROCK_MODELS, converse, type BedrockModel } from "./bedrock-converse";

export { emulatorSecret } from "./bedrock-auth";
export { BEDROCK_MODELS } from "./bedrock-converse";

const MOUNT = "/bedrock";

function summary(model: BedrockModel, region: string) {
  return {
    modelArn: `arn:aws:bedrock:${region}::foundation-model/${model.modelId}`,
    modelId: model.modelId,
    modelName: model.modelName,
    providerName: model.providerName,
    inputModalities: model.inputModalities,
    outputModalities: model.outputModalities,
    responseStreamingSupported: model.outputModalities.includes("TEXT"),
    customizationsSupported: [],
    inferenceTypesSupported: model.inferenceTypesSupported,
    modelLifecycle: { status: "ACTIVE" },
  };
}

const ENUMS: Record<string, string[]> = {
  byOutputModality: ["TEXT", "IMAGE", "EMBEDDING"],
  byInferenceType: ["ON_DEMAND", "PROVISIONED"],
};

function listFoundationModels(query: URLSearchParams, region: string, huge: boolean): Reply {
  for (const [name, allowed] of Object.entries(ENUMS)) {
    const value = query.get(name);
    if (value !== null && !allowed.includes(value)) {
      return awsError(
        400,
        "ValidationException",
        `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(", ")}]`,
      );
    }
  }
  const output = query.get("byOutputModality");
  const inference = query.get("byInferenceType");
  const provider = query.get("byProvider")?.toLowerCase();
  const models = BEDROCK_MODELS.filter(
    (model) =>
      (!output || model.outputModalities.includes(output)) &&
      (!inference || model.inferenceTypesSupported.includes(inference)) &&
      (!provider || model.providerName.toLowerCase() === provider),
  );
  const entries = models.map((model) => JSON.stringify(summary(model, region)));
  // Over 2 MiB of valid JSON: the real models first, then filler text models.
  for (let i = 0, size = entries.join(",").length; huge && size <= 2.1 * 1024 * 1024; i++) {
    const filler: BedrockModel = {
      modelId: `amazon.emulator-filler-${String(i).padStart(6, "0")}-v1:0`,
      modelName: `Emulator Filler ${i}`,
      providerName: "Amazon",
      inputModalities: ["TEXT"],
      outputModalities: ["TEXT"],
      inferenceTypesSupported: ["ON_DEMAND"],
    };
    const entry = JSON.stringify(summary(filler, region));
    entries.push(entry);
    size += entry.length + 1;
  }
  return {
    status: 200,
    headers: { "content-type": "application/json", "x-amzn-requestid": "emulator-list" },
    body: `{"modelSummaries":[${entries.join(",")}]}`,
  };
}

/** Converse, or ConverseStream in the event stream framing; a plan may end the model id (`…:stream-5x1ms`). */
function converseOrStream(request: ProviderRequest, rawId: string, streamed: boolean): Reply {
  const { name, plan = headerPlan(request) } = splitPlan(decodeSegment(rawId) ?? rawId);
  const reply = converse(plan ? encodeURIComponent(name) : rawId, request.body, scenarioOf(bedrockCredential(request.headers)));
  if (reply.status !== 200 || !reply.body) return reply;
  const parsed = parseJson(reply.body);
  if (!parsed.ok || !isRecord(parsed.value)) return reply;
  const answer = plan ? planConverse(parsed.value, plan) : parsed.value;
  if (streamed) return converseStream(answer, plan, reply.headers ?? {});
  return plan ? json(200, answer, { "x-amzn-requestid": reply.headers?.["x-amzn-requestid"] ?? "emulator" }) : reply;
}

type Route = { method: "GET" | "POST"; run(request: ProviderRequest, region: string): Reply };

function findRoute(path: string): Route | undefined {
  if (path === "/foundation-models") {
    return {
      method: "GET",
      run: (request, region) => {
        const credential = bedrockCredential(request.headers) ?? "";
        // Bedrock-only word: an identity whose IAM policy allows Converse but not listing.
        if (credential.toLowerCase().includes("nolist")) {
          return awsError(
            403,
            "AccessDeniedException",
            "User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: bedrock:ListFoundationModels " +
              "because no identity-based policy allows the bedrock:ListFoundationModels action",
          );
        }
        return listFoundationModels(request.query, region, scenarioOf(credential).has("huge"));
      },
    };
  }
  const converseMatch = /^\/model\/([^/]+)\/(converse|converse-stream)$/.exec(path);
  if (converseMatch)
    return { method: "POST", run: (request) => converseOrStream(request, converseMatch[1]!, converseMatch[2] === "converse-stream") };
  return undefined;
}

export const bedrock: EmulatedProvider = {
  id: "bedrock",
  mount: MOUNT,
  apiHostPath: MOUNT,
  credential: bedrockCredential,
  handle(request) {
    const scenario = scenarioOf(bedrockCredential(request.headers));
    if (scenario.has("redirect")) return redirect();
    if (scenario.has("error500")) return gatewayErrorPage();
    if (scenario.has("overloaded")) {
      return awsError(503, "ServiceUnavailableException", "Bedrock is unable to process your request. Please try again later.");
    }
    const route = findRoute(request.path);
    if (!route || route.method !== request.method) {
      return awsError(404, "UnknownOperationException", "Unable to determine service/operation name to be authorized", {
        namespace: "com.amazon.coral.service",
      });
    }
    const auth = authenticate(request, MOUNT);
    if (!auth.ok) return auth.reply;
    return route.run(request, auth.region);
  },
};
