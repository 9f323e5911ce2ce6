import type { IncomingMessage, ServerResponse } from "node:http";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.GATEWAY_IDLE_TIMEOUT_MS = "700";
  process.env.GATEWAY_TOKEN_RATE_PER_MINUTE = "20";
});

import { getDb } from "@/db/client";
import { agentTokens, gatewayUsage } from "@/db/schema";
import { flushTokenUse } from "@/lib/config/resolve";
import { upsertCredential } from "@/lib/credentials/queries";
import { flushGatewayUsage } from "@/lib/gateway/usage-log";
import { cleanUpAfterTests, startServer } from "@/lib/net/test-servers";
import { createOrganization } from "@/lib/orgs/organizations";
import { removeMember } from "@/lib/orgs/members";
import { orgOwner, userOwner, type Owner } from "@/lib/owners";
import type { ProviderId } from "@/lib/providers/types";
import { createToken } from "@/lib/tokens/queries";
import { createTestUser } from "@/test/helpers";
import { addMember } from "@/test/orgs";
import { DELETE, GET, POST } from "./route";

cleanUpAfterTests();

const KEY = "sk-proj-storedKEY0123456789abcdefghijklmnopqrstuv";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A real upstream on 127.0.0.1 that records what it received and answers through `handler`. */
async function upstream(handler: Handler) {
  const seen: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[] = [];
  const server = await startServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, res, body);
    });
  });
  return { host: `http://127.0.0.1:${server.port}`, seen, port: server.port };
}

async function setup(
  provider: ProviderId,
  apiHost: string,
  secrets: Record<string, string> = { apiKey: KEY },
  extra: Record<string, string> = {},
) {
  const db = await getDb();
  const user = await createTestUser(db);
  const credential = await store(userOwner(user.id), user.id, provider, apiHost, secrets, extra);
  const { token, view } = await createToken(db, userOwner(user.id), { name: "agent", expiresInDays: "never", actorUserId: user.id });
  return { db, user, token, tokenId: view.id, credentialId: credential.id };
}

async function store(
  owner: Owner,
  actorUserId: string,
  provider: ProviderId,
  apiHost: string,
  secrets: Record<string, string>,
  extra: Record<string, string> = {},
) {
  return upsertCredential(await getDb(), owner, {
    provider,
    model: "m",
    apiHost,
    extra,
    parameters: null,
    secrets,
    secretHints: {},
    status: "valid",
    statusCode: "valid",
    statusDetail: null,
    validatedAt: new Date(),
    actorUserId,
  });
}

type CallInit = { method?: string; headers?: Record<string, string>; body?: BodyInit; signal?: AbortSignal };

function call(credentialId: string, path: string, init: CallInit = {}) {
  const method = init.method ?? (init.body === undefined ? "GET" : "POST");
  const request = new Request(`http://localhost/api/v1/gateway/${credentialId}/${path}`, {
    method,
    headers: init.headers,
    body: init.body,
    signal: init.signal,
    ...(init.body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
  const context = { params: Promise.resolve({ credentialId, path: path.split("?")[0]!.split("/") }) };
  const handler = method === "GET" ? GET : method === "DELETE" ? DELETE : POST;
  return handler(request, context);
}

async function usageRows(credentialId: string) {
  await flushGatewayUsage();
  const db = await getDb();
  return db.select().from(gatewayUsage).where(eq(gatewayUsage.credentialId, credentialId));
}

const sseChunk = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;

describe("gateway", () => {
  it("swaps the agent token for the stored key, filters headers both ways, records usage from JSON", async () => {
    const up = await upstream((_req, res) => {
      res.writeHead(200, {
        "content-type": "application/json",
        "x-request-id": "req_123",
        "x-ratelimit-remaining-requests": "99",
        "set-cookie": "session=upstream",
        "x-internal": "secret-ish",
      });
      res.end(JSON.stringify({ id: "c1", choices: [{ message: { content: "hi" } }], usage: { prompt_tokens: 11, completion_tokens: 3 } }));
    });
    const { token, tokenId, credentialId, db } = await setup("openai", `${up.host}/v1`);
    const res = await call(credentialId, "chat/completions?foo=bar", {
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        cookie: "authjs.session-token=x",
        "x-forwarded-for": "1.2.3.4",
        "openai-beta": "assistants=v2",
        "x-custom": "nope",
      },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ id: "c1" });
    expect(res.headers.get("x-request-id")).toBe("req_123");
    expect(res.headers.get("x-ratelimit-remaining-requests")).toBe("99");
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(res.headers.get("x-internal")).toBeNull();

    const [seen] = up.seen;
    expect(seen).toMatchObject({ method: "POST", url: "/v1/chat/completions?foo=bar" });
    expect(seen!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen!.headers["openai-beta"]).toBe("assistants=v2");
    for (const name of ["cookie", "x-forwarded-for", "x-custom", "x-byok-client-address"]) expect(seen!.headers[name]).toBeUndefined();
    expect(JSON.stringify(seen)).not.toContain(token);
    // A non-streaming request is forwarded as sent.
    expect(JSON.parse(seen!.body)).toEqual({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });

    const [row] = await usageRows(credentialId);
    expect(row).toMatchObject({
      tokenId,
      provider: "openai",
      model: "gpt-4o-mini",
      path: "/chat/completions",
      status: 200,
      streamed: false,
      inputTokens: 11,
      outputTokens: 3,
    });
    await flushTokenUse();
    const [tokenRow] = await db.select({ at: agentTokens.lastUsedAt }).from(agentTokens).where(eq(agentTokens.id, tokenId));
    expect(tokenRow!.at).not.toBeNull();
  });

  it("refuses paths outside the allowlist (403 path_not_allowed) without reaching the upstream; bad tokens get 401", async () => {
    const up = await upstream((_req, res) => res.end("{}"));
    const { token, credentialId } = await setup("openai", `${up.host}/v1`);
    const auth = { authorization: `Bearer ${token}` };
    for (const [path, method] of [
      ["files", "GET"],
      ["fine_tuning/jobs", "POST"],
      ["models/ft-x", "DELETE"],
      ["chat/completions", "GET"],
      ["a/../files", "GET"],
      ["models%2F..%2Ffiles", "GET"],
    ] as const) {
      const res = await call(credentialId, path, { method, headers: auth, body: method === "POST" ? "{}" : undefined });
      expect(res.status, path).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "path_not_allowed" } });
    }
    expect(up.seen).toHaveLength(0);

    for (const headers of [{}, { authorization: "Bearer nope" }, { "x-api-key": `byok_${"A".repeat(43)}` }] as Record<string, string>[]) {
      const res = await call(credentialId, "models", { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "Missing, invalid, expired or revoked agent token." } });
    }
    expect((await call("not-a-uuid", "models", { headers: auth })).status).toBe(404);
    expect((await call(crypto.randomUUID(), "models", { headers: auth })).status).toBe(404);
    // x-api-key and api-key carry the token too.
    expect((await call(credentialId, "models", { headers: { "x-api-key": token } })).status).toBe(200);
    expect((await call(credentialId, "models", { headers: { "api-key": token } })).status).toBe(200);
  });

  it("streams SSE chunk by chunk, asks for usage, and records the stream's usage", async () => {
    let release: () => void = () => {};
    const up = await upstream((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(sseChunk({ choices: [{ delta: { content: "Hel" } }] }));
      release = () => {
        res.write(sseChunk({ choices: [{ delta: { content: "lo" } }] }));
        res.write(sseChunk({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 } }));
        res.end("data: [DONE]\n\n");
      };
    });
    const { token, credentialId } = await setup("openai", `${up.host}/v1`);
    const res = await call(credentialId, "chat/completions", {
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", stream: true, messages: [] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(res.headers.get("cache-control")).toContain("no-transform");
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    // The first chunk arrived while the upstream still holds the rest.
    expect(first).toContain("Hel");
    release();
    let rest = "";
    for (let next = await reader.read(); !next.done; next = await reader.read()) rest += new TextDecoder().decode(next.value);
    expect(rest).toContain("[DONE]");
    expect(JSON.parse(up.seen[0]!.body)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const [row] = await usageRows(credentialId);
    expect(row).toMatchObject({ streamed: true, inputTokens: 5, outputTokens: 2, model: "gpt-4o" });
    expect(row!.ttfbMs).not.toBeNull();
  });

  it("a client that disconnects closes the upstream connection; a quiet upstream is cut after the idle timeout", async () => {
    let closed = false;
    const up = await upstream((req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(sseChunk({ n: 1 }));
      res.on("close", () => (closed = true));
      if (req.url?.includes("silent")) return;
    });
    const { token, credentialId } = await setup("openai-compatible", `${up.host}/v1`);
    const controller = new AbortController();
    const res = await call(credentialId, "chat/completions", {
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "x", stream: true }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.cancel().catch(() => {});
    await expect.poll(() => closed).toBe(true);

    // Idle: headers and one chunk, then nothing: the stream errors after GATEWAY_IDLE_TIMEOUT_MS.
    closed = false;
    const started = Date.now();
    const quiet = await call(credentialId, "chat/completions", {
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "x", stream: true }),
    });
    await expect(quiet.text()).rejects.toBeTruthy();
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    await expect.poll(() => closed).toBe(true);
  });

  it("no headers in time: 504 upstream_timeout; nothing listening: 502 upstream_unreachable; blocked host: 502 with the reason", async () => {
    const up = await upstream(() => {});
    const { token, credentialId, user } = await setup("openai", `${up.host}/v1`);
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const slow = await call(credentialId, "chat/completions", { headers: auth, body: "{}" });
    expect(slow.status).toBe(504);
    expect(await slow.json()).toMatchObject({ error: { code: "upstream_timeout" } });

    const closed = await store(userOwner(user.id), user.id, "deepseek", "http://127.0.0.1:9/v1", { apiKey: KEY });
    const refused = await call(closed.id, "chat/completions", { headers: auth, body: "{}" });
    expect(refused.status).toBe(502);
    expect(await refused.json()).toMatchObject({ error: { code: "upstream_unreachable" } });

    const blocked = await store(userOwner(user.id), user.id, "qwen", "http://10.1.2.3/v1", { apiKey: KEY });
    const answer = await call(blocked.id, "chat/completions", { headers: auth, body: "{}" });
    expect(answer.status).toBe(502);
    const body = (await answer.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toContain("10.1.2.3");
    expect(JSON.stringify(body)).not.toContain(KEY);
    const rows = await usageRows(credentialId);
    expect(rows.map((r) => r.status)).toEqual([504]);
  });

  it("413 for a body over 32 MiB, by Content-Length or by counting", async () => {
    const up = await upstream((_req, res) => res.end("{}"));
    const { token, credentialId } = await setup("openai", `${up.host}/v1`);
    const declared = await call(credentialId, "chat/completions", {
      headers: { authorization: `Bearer ${token}`, "content-length": String(33 * 1024 * 1024) },
      body: "{}",
    });
    expect(declared.status).toBe(413);
    const piece = new Uint8Array(1024 * 1024);
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent++;
        if (sent > 40) controller.close();
        else controller.enqueue(piece);
      },
    });
    const counted = await call(credentialId, "chat/completions", { headers: { authorization: `Bearer ${token}` }, body: endless });
    expect(counted.status).toBe(413);
    expect(await counted.json()).toMatchObject({ error: { code: "payload_too_large" } });
    expect(up.seen).toHaveLength(0);
  });

  it("passes an upstream error through with the stored key masked", async () => {
    const up = await upstream((_req, res) => {
      res.writeHead(401, { "content-type": "application/json", "x-request-id": "req_err" });
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}. Bearer ${KEY}`, code: "invalid_api_key" } }));
    });
    const { token, credentialId } = await setup("openai", `${up.host}/v1`);
    const res = await call(credentialId, "models", { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    expect(res.headers.get("x-request-id")).toBe("req_err");
    const text = await res.text();
    expect(text).toContain("invalid_api_key");
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(KEY.slice(-12));
  });

  it("Anthropic: x-api-key and a default anthropic-version; usage from message_start / message_delta", async () => {
    const up = await upstream((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream", "request-id": "req_a" });
      res.write(`event: message_start\n${sseChunk({ type: "message_start", message: { usage: { input_tokens: 9, output_tokens: 1 } } })}`);
      res.end(`event: message_delta\n${sseChunk({ type: "message_delta", usage: { output_tokens: 4 } })}`);
    });
    const { token, credentialId } = await setup("anthropic", `${up.host}/v1`);
    const body = JSON.stringify({ model: "claude-x", stream: true, max_tokens: 5, messages: [] });
    const res = await call(credentialId, "v1/messages", { headers: { "x-api-key": token, "content-type": "application/json" }, body });
    expect(res.status).toBe(200);
    expect(res.headers.get("request-id")).toBe("req_a");
    await res.text();
    await call(credentialId, "v1/messages", { headers: { "x-api-key": token, "anthropic-version": "2099-01-01" }, body }).then((r) =>
      r.text(),
    );
    expect(up.seen[0]!.url).toBe("/v1/messages");
    expect(up.seen[0]!.headers).toMatchObject({ "x-api-key": KEY, "anthropic-version": "2023-06-01" });
    expect(up.seen[1]!.headers["anthropic-version"]).toBe("2099-01-01");
    // Anthropic bodies are never rewritten.
    expect(up.seen[0]!.body).toBe(body);
    const rows = await usageRows(credentialId);
    expect(rows[0]).toMatchObject({ inputTokens: 9, outputTokens: 4, streamed: true, model: "claude-x" });
  });

  it("Bedrock: SigV4 with the stored access keys, model from the path, usage from the event stream's metadata", async () => {
    const up = await upstream((_req, res) => {
      res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": "aws-1" });
      res.end(eventFrame("metadata", { usage: { inputTokens: 12, outputTokens: 34 }, metrics: { latencyMs: 1 } }));
    });
    const secrets = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
    const { token, credentialId } = await setup("bedrock", up.host, secrets, { region: "eu-west-3" });
    const res = await call(credentialId, "model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream", {
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-amzn-requestid")).toBe("aws-1");
    await res.arrayBuffer();
    const seen = up.seen[0]!;
    expect(seen.url).toBe("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream");
    expect(seen.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-3\/bedrock\/aws4_request, SignedHeaders=[a-z;-]+, Signature=[0-9a-f]{64}$/,
    );
    expect(seen.headers["x-amz-date"]).toMatch(/^\d{8}T\d{6}Z$/);
    expect(JSON.stringify(seen)).not.toContain(secrets.secretAccessKey);
    const [row] = await usageRows(credentialId);
    expect(row).toMatchObject({ model: "anthropic.claude-3-haiku-20240307-v1:0", inputTokens: 12, outputTokens: 34, streamed: true });
  });

  it("an org member may use a shared credential until removed: the next request is refused", async () => {
    const up = await upstream((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"data":[]}'));
    const db = await getDb();
    const owner = await createTestUser(db, "Owner");
    const member = await createTestUser(db, "Member");
    const org = await createOrganization(db, { userId: owner.id, ip: "203.0.113.1" }, { name: `Gateway org ${Date.now()}` });
    await addMember(db, org.id, member, "member");
    const credential = await store(orgOwner(org.id), owner.id, "openai", `${up.host}/v1`, { apiKey: KEY });
    const { token } = await createToken(db, userOwner(member.id), { name: "m", expiresInDays: "never", actorUserId: member.id });
    const auth = { authorization: `Bearer ${token}` };
    const allowed = await call(credential.id, "models", { headers: auth });
    expect(allowed.status).toBe(200);
    await allowed.text();
    await removeMember(db, { userId: owner.id, ip: "203.0.113.1" }, org.slug, member.id);
    const refused = await call(credential.id, "models", { headers: auth });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "forbidden" } });
    expect(up.seen).toHaveLength(1);
    const [row] = await usageRows(credential.id);
    expect(row).toMatchObject({ orgId: org.id, userId: member.id });
  });
});

describe("gateway: per-token limit", () => {
  it("answers 429 rate_limited with Retry-After past GATEWAY_TOKEN_RATE_PER_MINUTE", async () => {
    const { token, credentialId } = await setup("openai", "http://127.0.0.1:9/v1");
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++)
      statuses.push((await call(credentialId, "files", { headers: { authorization: `Bearer ${token}` } })).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(403));
    const limited = await call(credentialId, "files", { headers: { authorization: `Bearer ${token}` } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeTruthy();
    expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });
  });
});

describe("gateway: Azure and Bedrock API keys", () => {
  it("Azure: api-key on the resource endpoint, the deployment recorded as the model", async () => {
    const up = await upstream((_req, res) =>
      res
        .writeHead(200, { "content-type": "application/json", "apim-request-id": "apim-1" })
        .end('{"usage":{"prompt_tokens":1,"completion_tokens":2}}'),
    );
    const { token, credentialId } = await setup(
      "azure",
      `${up.host}/openai`,
      { apiKey: KEY },
      { deploymentName: "d", apiVersion: "2024-10-21" },
    );
    const res = await call(credentialId, "openai/deployments/my-dep/chat/completions?api-version=2024-10-21", {
      headers: { "api-key": token, "content-type": "application/json" },
      body: JSON.stringify({ messages: [] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("apim-request-id")).toBe("apim-1");
    await res.text();
    expect(up.seen[0]).toMatchObject({ url: "/openai/deployments/my-dep/chat/completions?api-version=2024-10-21" });
    expect(up.seen[0]!.headers["api-key"]).toBe(KEY);
    expect(up.seen[0]!.headers.authorization).toBeUndefined();
    const [row] = await usageRows(credentialId);
    expect(row).toMatchObject({ model: "my-dep", inputTokens: 1, outputTokens: 2 });
  });

  it("Bedrock with an API key: Bearer, unsigned; InvokeModel's token-count headers are read", async () => {
    const up = await upstream((_req, res) =>
      res
        .writeHead(200, {
          "content-type": "application/json",
          "x-amzn-bedrock-input-token-count": "7",
          "x-amzn-bedrock-output-token-count": "8",
        })
        .end("{}"),
    );
    const { token, credentialId } = await setup("bedrock", up.host, { apiKey: "ABSKbedrockApiKeyValue0123456789" });
    const res = await call(credentialId, "model/amazon.nova-lite-v1%3A0/invoke", {
      headers: { authorization: `Bearer ${token}` },
      body: "{}",
    });
    expect(res.status).toBe(200);
    await res.text();
    expect(up.seen[0]!.headers.authorization).toBe("Bearer ABSKbedrockApiKeyValue0123456789");
    expect(up.seen[0]!.headers["x-amz-date"]).toBeUndefined();
    const [row] = await usageRows(credentialId);
    expect(row).toMatchObject({ model: "amazon.nova-lite-v1:0", inputTokens: 7, outputTokens: 8, streamed: false });
  });
});

/** One AWS event-stream frame (CRCs zeroed). */
function eventFrame(type: string, payload: unknown): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries({ ":event-type": type, ":message-type": "event", ":content-type": "application/json" })) {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(Buffer.byteLength(value));
    parts.push(Buffer.from([name.length]), Buffer.from(name), Buffer.from([7]), length, Buffer.from(value));
  }
  const head = Buffer.concat(parts);
  const body = Buffer.from(JSON.stringify(payload));
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(12 + head.length + body.length + 4, 0);
  prelude.writeUInt32BE(head.length, 4);
  return Buffer.concat([prelude, head, body, Buffer.alloc(4)]);
}
