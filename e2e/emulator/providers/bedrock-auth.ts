/**
 * Bedrock's front door for the emulator: checks SigV4 for real (recomputed with the `aws4` library
 * from the request as received, with a secret known for each access key id) or a Bedrock API key
 * (Bearer), and answers AWS's own auth errors with their `x-amzn-ErrorType` headers.
 */
import aws4 from "aws4";
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { json } from "../replies";
import { bearerKey } from "../request";
import type { ProviderRequest, Reply } from "../types";

const SERVICE = "bedrock";
const MAX_SKEW_MS = 5 * 60 * 1000;
const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
// Long-term Bedrock API keys start ABSK, short-term ones bedrock-api-key-.
const API_KEY_PREFIXES = ["ABSK", "bedrock-api-key-"];

/**
 * The secret the emulator expects for an access key id (any id starting AKIA or ASIA): a fixed
 * function of the id, so tests sign correctly with it, and a tampered secret fails for real.
 */
export function emulatorSecret(accessKeyId: string): string {
  return createHash("sha256")
    .update(`byok-bedrock-emulator:${accessKeyId}`)
    .digest("base64")
    .replace(/[^A-Za-z0-9]/g, "")
    .slice(0, 40);
}

/** An AWS JSON error: `{"message":…}` (or `Message`) with `x-amzn-ErrorType: <Name>:<namespace>`. */
export function awsError(
  status: number,
  type: string,
  message: string,
  options: { namespace?: string; field?: "message" | "Message"; headers?: Record<string, string> } = {},
): Reply {
  const namespace = options.namespace ?? "com.amazon.bedrock";
  return json(
    status,
    { [options.field ?? "message"]: message },
    {
      "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/${namespace}/`,
      "x-amzn-requestid": randomUUID(),
      ...options.headers,
    },
  );
}

const authError = (type: string, message: string) => awsError(403, type, message, { namespace: "com.amazon.coral.service" });

const INVALID_TOKEN = () => authError("UnrecognizedClientException", "The security token included in the request is invalid.");
const MISMATCH = () =>
  authError(
    "InvalidSignatureException",
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and " +
      "signing method. Consult the service documentation for details.",
  );

export type AuthResult = { ok: true; kind: "bearer" | "sigv4"; credential: string; region: string } | { ok: false; reply: Reply };

/** The credential a request carries: the Bearer key, else the access key id in a SigV4 Authorization. */
export function bedrockCredential(headers: Record<string, string>): string | undefined {
  const bearer = bearerKey(headers);
  if (bearer) return bearer;
  return /Credential=([^/,\s]+)\//.exec(headers.authorization ?? "")?.[1];
}

function checkBearer(key: string): AuthResult {
  if (!API_KEY_PREFIXES.some((prefix) => key.startsWith(prefix))) {
    return { ok: false, reply: awsError(403, "AccessDeniedException", "Invalid API Key format: Must start with pre-defined prefix") };
  }
  if (key.toLowerCase().includes("bad")) {
    // Seen from Bedrock for a revoked or unknown key: the capitalised `Message` field.
    return {
      ok: false,
      reply: awsError(403, "AccessDeniedException", "Authentication failed: Please make sure your API Key is valid.", { field: "Message" }),
    };
  }
  return { ok: true, kind: "bearer", credential: key, region: "us-east-1" };
}

function parseSigV4(value: string): Record<string, string> | undefined {
  const match = /^AWS4-HMAC-SHA256\s+(.+)$/.exec(value.trim());
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const part of match[1]!.split(/,\s*/)) {
    const eq = part.indexOf("=");
    if (eq > 0) params[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return params;
}

// 20250101T120000Z → epoch ms.
function amzDateMs(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)!;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function checkSigV4(request: ProviderRequest, mount: string, params: Record<string, string>, now: number): AuthResult {
  const fail = (reply: Reply): AuthResult => ({ ok: false, reply });
  for (const name of ["Credential", "SignedHeaders", "Signature"]) {
    if (!params[name]) return fail(authError("IncompleteSignatureException", `Authorization header requires '${name}' parameter.`));
  }
  const scope = params.Credential!.split("/");
  if (scope.length !== 5 || scope[4] !== "aws4_request") {
    return fail(authError("IncompleteSignatureException", "Authorization header requires a valid 'Credential' parameter."));
  }
  const [accessKeyId, date, region, service] = scope as [string, string, string, string, string];
  const token = request.headers["x-amz-security-token"];
  const temporary = accessKeyId.startsWith("ASIA");
  if (!/^(AKIA|ASIA)/.test(accessKeyId) || accessKeyId.toLowerCase().includes("bad")) return fail(INVALID_TOKEN());
  // Temporary (ASIA) keys need their session token; long-term (AKIA) keys take none.
  if (temporary !== Boolean(token) || token?.toLowerCase().includes("bad")) return fail(INVALID_TOKEN());

  const amzDate = request.headers["x-amz-date"] ?? "";
  if (!/^\d{8}T\d{6}Z$/.test(amzDate)) {
    return fail(
      authError("IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."),
    );
  }
  if (date !== amzDate.slice(0, 8)) {
    return fail(
      authError(
        "InvalidSignatureException",
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      ),
    );
  }
  if (service !== SERVICE)
    return fail(authError("InvalidSignatureException", `Credential should be scoped to correct service: '${SERVICE}'.`));
  if (!REGION_SHAPE.test(region)) return fail(authError("InvalidSignatureException", "Credential should be scoped to a valid region."));
  if (Math.abs(now - amzDateMs(amzDate)) > MAX_SKEW_MS) {
    const limit = new Date(now - MAX_SKEW_MS).toISOString().replace(/[:-]|\.\d{3}/g, "");
    return fail(authError("InvalidSignatureException", `Signature expired: ${amzDate} is now earlier than ${limit} (now - 5 min.)`));
  }

  const signedNames = params.SignedHeaders!.split(";").map((name) => name.trim().toLowerCase());
  if (!signedNames.includes("host")) {
    return fail(authError("IncompleteSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."));
  }
  const headers: Record<string, string> = {};
  for (const name of signedNames) {
    const value = request.headers[name];
    if (value === undefined) return fail(MISMATCH());
    headers[name] = value;
  }
  const query = request.query.toString();
  const signer = new aws4.RequestSigner(
    {
      method: request.method,
      host: headers.host,
      path: `${mount}${request.path}${query ? `?${query}` : ""}`,
      headers,
      body: request.body,
      service,
      region,
      doNotModifyHeaders: true,
    },
    { accessKeyId, secretAccessKey: emulatorSecret(accessKeyId), sessionToken: token },
  );
  signer.datetime = amzDate;
  const expected = Buffer.from(signer.signature());
  const given = Buffer.from(params.Signature!);
  if (signer.signedHeaders() !== signedNames.join(";") || expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return fail(MISMATCH());
  }
  return { ok: true, kind: "sigv4", credential: accessKeyId, region };
}

/** Authenticates one request below `mount` (Bearer API key or SigV4); `now` is for tests of clock skew. */
export function authenticate(request: ProviderRequest, mount: string, now = Date.now()): AuthResult {
  const authorization = request.headers.authorization?.trim();
  if (!authorization) return { ok: false, reply: authError("MissingAuthenticationTokenException", "Missing Authentication Token") };
  const bearer = bearerKey(request.headers);
  if (bearer) return checkBearer(bearer);
  const params = parseSigV4(authorization);
  if (!params)
    return { ok: false, reply: authError("IncompleteSignatureException", "Authorization header requires 'Credential' parameter.") };
  return checkSigV4(request, mount, params, now);
}
