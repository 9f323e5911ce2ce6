/**
 * AWS Bedrock runtime through the gateway: `model/<id>/{converse,converse-stream,invoke,
 * invoke-with-response-stream}` only. The model id is one segment, percent-encoded by the SDKs
 * (an ARN's `/` arrives as %2F: the only place an encoded slash is accepted, and it is re-encoded).
 * Auth: the stored Bedrock API key as Bearer, else SigV4 over the exact URL and body.
 */
import "server-only";
import aws4 from "aws4";
import type { GatewayRoute, GatewaySpec } from "@/lib/gateway/types";
import { BEDROCK_SIGNING_SERVICE, bedrockAuthOf, bedrockEndpoints } from "@/lib/providers/bedrock/sign";

const OPERATIONS = new Set(["converse", "converse-stream", "invoke", "invoke-with-response-stream"]);
// Foundation model ids, inference profile ids and ARNs.
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,255}$/;

function bedrockRoute(segments: readonly string[]): GatewayRoute | null {
  if (segments.length !== 3 || segments[0] !== "model" || !OPERATIONS.has(segments[2]!)) return null;
  const model = segments[1]!;
  if (!MODEL_ID.test(model) || model.split("/").some((part) => part === "" || part === "." || part === "..")) return null;
  return { path: `/model/${encodeURIComponent(model)}/${segments[2]}`, method: "POST", model, askUsage: false };
}

export const bedrockGateway: GatewaySpec = {
  slashInSegment: 1,
  route: (segments) => bedrockRoute(segments),
  // Profile failover: the same operation on the entry's model id.
  forModel(route, _credential, model) {
    const target = bedrockRoute(["model", model, route.path.slice(route.path.lastIndexOf("/") + 1)]);
    return target && { route: target, bodyModel: null };
  },
  url: (credential, route, search) => `${bedrockEndpoints(credential.apiHost, credential.extra).runtime}${route.path}${search}`,
  auth(credential, request) {
    const auth = bedrockAuthOf(credential.secrets);
    if (!auth) return {};
    if (auth.kind === "bearer") return { authorization: `Bearer ${auth.apiKey}` };
    const url = new URL(request.url);
    const toSign: Record<string, string> = {};
    for (const name of ["content-type", "accept"]) if (request.headers[name]) toSign[name] = request.headers[name]!;
    const signed = aws4.sign(
      {
        host: url.host,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        body: request.body,
        service: BEDROCK_SIGNING_SERVICE,
        region: bedrockEndpoints(credential.apiHost, credential.extra).region,
        headers: toSign,
      },
      { accessKeyId: auth.accessKeyId, secretAccessKey: auth.secretAccessKey, sessionToken: auth.sessionToken },
    );
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers ?? {})) {
      if (name.toLowerCase() === "host" || value === undefined) continue;
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
    }
    return headers;
  },
};
