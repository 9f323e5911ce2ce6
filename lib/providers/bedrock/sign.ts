/**
 * AWS Bedrock endpoints and request authentication. SigV4 comes from the `aws4` library (small,
 * zero dependencies, synchronous, widely used), never hand-written; a Bedrock API key is sent as
 * `Authorization: Bearer` instead, unsigned. aws4 memoises derived signing keys in a module-level
 * LRU keyed by the secret: whoever can read this process's memory can read the master encryption
 * key too, so that is accepted.
 */
import "server-only";
import aws4 from "aws4";

/** SigV4 service name for both the control plane and the runtime. */
export const BEDROCK_SIGNING_SERVICE = "bedrock";
export const DEFAULT_BEDROCK_REGION = "us-east-1";

export type BedrockAuth =
  { kind: "bearer"; apiKey: string } | { kind: "sigv4"; accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/**
 * The credential to use: an API Key wins (Bearer, no signing); otherwise an access key pair (plus
 * the session token when given). Undefined when neither is complete.
 */
export function bedrockAuthOf(secrets: Record<string, string>): BedrockAuth | undefined {
  const apiKey = secrets.apiKey?.trim();
  if (apiKey) return { kind: "bearer", apiKey };
  const accessKeyId = secrets.accessKeyId?.trim();
  const secretAccessKey = secrets.secretAccessKey?.trim();
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = secrets.sessionToken?.trim();
  return sessionToken ? { kind: "sigv4", accessKeyId, secretAccessKey, sessionToken } : { kind: "sigv4", accessKeyId, secretAccessKey };
}

export type BedrockEndpoints = {
  /** Base URL of the runtime (Converse): `https://bedrock-runtime.us-east-1.amazonaws.com`, or a custom base. */
  runtime: string;
  /** Base URL of the control plane (ListFoundationModels); undefined when it cannot be derived (VPC endpoints). */
  control: string | undefined;
  /** Region the requests are signed for. */
  region: string;
};

// bedrock-runtime[-fips].<region>.amazonaws.com[.cn]
const PUBLIC_RUNTIME = /^bedrock-runtime(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/i;
// vpce-….bedrock-runtime.<region>.vpce.amazonaws.com: the control plane has its own, other endpoint.
const VPC_RUNTIME = /\.bedrock-runtime\.([a-z0-9-]+)\.vpce\.amazonaws\.com(\.cn)?$/i;
// Endpoint paths a user may paste after the host.
const PASTED_ENDPOINT = /\/(foundation-models|model\/[^/]+\/(converse|converse-stream|invoke|invoke-with-response-stream))$/i;
const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** The Region field, trimmed and lower-cased; us-east-1 when empty. */
export function regionOf(extra: Record<string, string>): string {
  return extra.region?.trim().toLowerCase() || DEFAULT_BEDROCK_REGION;
}

/**
 * Runtime and control-plane base URLs and the signing region. An empty API Host is derived from
 * the Region. A public AWS runtime host maps to `bedrock[-fips].<region>.amazonaws.com` and its
 * region wins over the Region field (AWS rejects a signature scoped to another region); any other
 * host (a proxy, the emulator) serves both APIs from the same base.
 */
export function bedrockEndpoints(apiHost: string, extra: Record<string, string>): BedrockEndpoints {
  const fieldRegion = regionOf(extra);
  const raw = apiHost.trim() || `https://bedrock-runtime.${fieldRegion}.amazonaws.com`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not a URL: the guarded fetch refuses it and validation reports it as unreachable.
    return { runtime: raw.replace(/\/+$/, ""), control: raw.replace(/\/+$/, ""), region: fieldRegion };
  }
  const path = url.pathname.replace(/\/+$/, "").replace(PASTED_ENDPOINT, "");
  const runtime = `${url.protocol}//${url.host}${path}`;
  const publicHost = PUBLIC_RUNTIME.exec(url.hostname);
  if (publicHost && REGION_SHAPE.test(publicHost[2]!.toLowerCase())) {
    const region = publicHost[2]!.toLowerCase();
    const control = `${url.protocol}//bedrock${publicHost[1] ?? ""}.${region}.amazonaws.com${publicHost[3] ?? ""}`;
    return { runtime: `${url.protocol}//${url.host}`, control, region };
  }
  const vpc = VPC_RUNTIME.exec(url.hostname);
  if (vpc) return { runtime, control: undefined, region: vpc[1]!.toLowerCase() };
  return { runtime, control: runtime, region: fieldRegion };
}

export type SignableRequest = {
  method: "GET" | "POST";
  url: string;
  body?: string;
  region: string;
};

/**
 * Headers for one request: JSON accept/content-type plus either `Authorization: Bearer <key>` or
 * the SigV4 set (`Authorization: AWS4-HMAC-SHA256 …`, `X-Amz-Date`, and `X-Amz-Security-Token`
 * for temporary credentials), signed for `bedrock` in `region` over the exact host, path, query and
 * body sent. The Host header is left to the HTTP client (it sends the same `host[:port]`).
 */
export function bedrockHeaders(auth: BedrockAuth, request: SignableRequest): Record<string, string> {
  const base: Record<string, string> = { accept: "application/json" };
  if (request.body !== undefined) base["content-type"] = "application/json";
  if (auth.kind === "bearer") return { ...base, authorization: `Bearer ${auth.apiKey}` };

  const url = new URL(request.url);
  const signed = aws4.sign(
    {
      host: url.host,
      path: `${url.pathname}${url.search}`,
      method: request.method,
      body: request.body,
      service: BEDROCK_SIGNING_SERVICE,
      region: request.region,
      headers: base,
    },
    { accessKeyId: auth.accessKeyId, secretAccessKey: auth.secretAccessKey, sessionToken: auth.sessionToken },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers ?? {})) {
    if (name.toLowerCase() === "host" || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return headers;
}
