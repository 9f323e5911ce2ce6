/**
 * Azure OpenAI through the gateway, on the resource endpoint: the deployment form
 * (`openai/deployments/<d>/{chat/completions,completions,embeddings,responses}`), the v1 form
 * (`openai/v1/<OpenAI-style path>`), `openai/responses` and `openai/models[/<id>]`; a bare
 * OpenAI-style path goes to the v1 form. Auth `api-key`.
 */
import "server-only";
import type { GatewayRoute, GatewaySpec } from "@/lib/gateway/types";
import { resolveAzureTarget } from "@/lib/providers/azure/target";
import { ASK_USAGE, joinSegments, openAIStyleRoute } from "@/lib/providers/openai-family/gateway";

const DEPLOYMENT_OPS = new Set(["chat/completions", "completions", "embeddings", "responses"]);

function azureRoute(segments: readonly string[]): GatewayRoute | null {
  if (segments[0] !== "openai") {
    const bare = openAIStyleRoute(segments);
    return bare && { ...bare, path: `/openai/v1${bare.path.replace(/^\/v1(?=\/)/, "")}` };
  }
  const rest = segments.slice(1);
  if (rest[0] === "deployments" && rest.length >= 3 && DEPLOYMENT_OPS.has(rest.slice(2).join("/"))) {
    const op = rest.slice(2).join("/");
    return { path: joinSegments(segments), method: "POST", model: rest[1]!, askUsage: ASK_USAGE.has(op) };
  }
  if (rest[0] === "v1") {
    const inner = openAIStyleRoute(rest.slice(1));
    return inner && { ...inner, path: `/openai/v1${inner.path}` };
  }
  if (rest.join("/") === "responses") return { path: "/openai/responses", method: "POST", model: null, askUsage: false };
  if (rest[0] === "models" && rest.length <= 2) return { path: joinSegments(segments), method: "GET", model: null, askUsage: false };
  return null;
}

export const azureGateway: GatewaySpec = {
  route: (segments) => azureRoute(segments),
  url: (credential, route, search) => {
    const { endpoint } = resolveAzureTarget({
      provider: "azure",
      apiHost: credential.apiHost,
      model: "",
      secrets: {},
      extra: credential.extra,
    });
    return `${endpoint}${route.path}${search}`;
  },
  auth: (credential) => ({ "api-key": credential.secrets.apiKey ?? "" }),
  // Profile failover: the deployment decides the model, so an entry is called through its
  // credential's Deployment Name (the entry's model when it has none), in the path or the v1 body.
  forModel(route, credential, model) {
    const deployment = credential.extra.deploymentName?.trim() || model;
    if (route.model === null) return { route, bodyModel: deployment };
    const parts = route.path.split("/"); // "", "openai", "deployments", <deployment>, <operation…>
    parts[3] = encodeURIComponent(deployment);
    return { route: { ...route, path: parts.join("/"), model: deployment }, bodyModel: null };
  },
};
