import type { IncomingMessage, ServerResponse } from "node:http";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.GATEWAY_IDLE_TIMEOUT_MS = "700";
  process.env.GATEWAY_TOKEN_RATE_PER_MINUTE = "50";
});

import { getDb } from "@/db/client";
import { gatewayUsage } from "@/db/schema";
import type { PublicUser } from "@/lib/auth/users";
import { upsertCredential } from "@/lib/credentials/queries";
import { flushGatewayUsage } from "@/lib/gateway/usage-log";
import { cleanUpAfterTests, startServer } from "@/lib/net/test-servers";
import { createOrganization } from "@/lib/orgs/organizations";
import { removeMember } from "@/lib/orgs/members";
import { orgOwner, userOwner, type Owner } from "@/lib/owners";
import { addProfileEntry, createProfile } from "@/lib/profiles/service";
import type { ProviderId } from "@/lib/providers/types";
import { createToken } from "@/lib/tokens/queries";
import { createTestUser } from "@/test/helpers";
import { actorOf, addMember } from "@/test/orgs";
import { GET, POST } from "./route";

cleanUpAfterTests();

const key = (n: number) => `sk-proj-storedKEY${n}0123456789abcdefghijklmnopqrstuv`;

type Seen = { method: string; url: string; headers: IncomingMessage["headers"]; body: string };
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A real upstream on 127.0.0.1 that records what it received and answers through `handler`. */
async function upstream(handler: Handler) {
  const seen: Seen[] = [];
  const server = await startServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, res, body);
    });
  });
  return { host: `http://127.0.0.1:${server.port}`, seen };
}

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  upstream((_req, res) => res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body)));

const ok = (id: string) => answer(200, { id, choices: [], usage: { prompt_tokens: 3, completion_tokens: 1 } });

/** A port nothing listens on. */
const CLOSED = "http://127.0.0.1:9";

type EntrySpec = { provider: ProviderId; host: string; model: string; status?: "valid" | "invalid"; owner?: Owner };

async function store(
  owner: Owner,
  actorUserId: string,
  provider: ProviderId,
  apiHost: string,
  n: number,
  status: "valid" | "invalid" = "valid",
) {
  return upsertCredential(await getDb(), owner, {
    provider,
    model: "stored-model",
    apiHost: provider === "anthropic" ? apiHost : `${apiHost}/v1`,
    extra: {},
    parameters: null,
    secrets: { apiKey: key(n) },
    secretHints: {},
    status,
    statusCode: status,
    statusDetail: null,
    validatedAt: new Date(),
    actorUserId,
  });
}

/** A user, their token and their profile `coder` of the given entries (their own credentials unless `owner` says). */
async function setup(entries: EntrySpec[], user?: PublicUser) {
  const db = await getDb();
  user ??= await createTestUser(db);
  const actor = actorOf(user);
  const profile = await createProfile(db, actor, { kind: "user" }, "coder");
  const credentialIds: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const credential = await store(entry.owner ?? userOwner(user.id), user.id, entry.provider, entry.host, i + 1, entry.status);
    credentialIds.push(credential.id);
    await addProfileEntry(db, actor, { kind: "user" }, profile.id, { credentialId: credential.id, model: entry.model });
  }
  const { token } = await createToken(db, userOwner(user.id), { name: "agent", expiresInDays: "never", actorUserId: user.id });
  return { db, user, token, credentialIds };
}

type CallInit = { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal };

function call(name: string, path: string, token: string | null, init: CallInit = {}) {
  const method = init.method ?? (init.body === undefined ? "GET" : "POST");
  const headers: Record<string, string> = { "content-type": "application/json", ...init.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  const request = new Request(`http://localhost/api/v1/gateway/profile/${name}/${path}`, {
    method,
    headers,
    body: init.body,
    signal: init.signal,
  });
  const context = { params: Promise.resolve({ name, path: path.split("?")[0]!.split("/") }) };
  return (method === "GET" ? GET : POST)(request, context);
}

const chat = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: "what-the-agent-asked", messages: [{ role: "user", content: "hi" }], ...extra });

async function usageOf(credentialId: string) {
  await flushGatewayUsage();
  const db = await getDb();
  const rows = await db.select().from(gatewayUsage).where(eq(gatewayUsage.credentialId, credentialId));
  return rows.map((row) => ({ status: row.status, model: row.model }));
}

describe("profile gateway: failover", () => {
  it("429 on the first entry → the second answers, with its key and model; each attempt has its usage row", async () => {
    const first = await answer(429, { error: { code: "rate_limit_exceeded", message: "slow down" } }, { "retry-after": "7" });
    const second = await answer(
      200,
      { id: "from-second", choices: [], usage: { prompt_tokens: 4, completion_tokens: 2 } },
      { "x-ratelimit-remaining-requests": "41" },
    );
    const { token, credentialIds } = await setup([
      { provider: "openai", host: first.host, model: "model-one" },
      { provider: "deepseek", host: second.host, model: "model-two" },
    ]);
    const res = await call("coder", "v1/chat/completions", token, { body: chat() });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: "from-second" });
    expect(res.headers.get("x-byok-credential")).toBe(credentialIds[1]);
    expect(res.headers.get("x-byok-model")).toBe("model-two");
    expect(res.headers.get("x-byok-attempts")).toBe("2");
    // The answering upstream's rate-limit headers come back; the discarded one's do not.
    expect(res.headers.get("x-ratelimit-remaining-requests")).toBe("41");
    expect(res.headers.get("retry-after")).toBeNull();

    expect(first.seen).toHaveLength(1);
    expect(first.seen[0]!.headers.authorization).toBe(`Bearer ${key(1)}`);
    expect(JSON.parse(first.seen[0]!.body)).toMatchObject({ model: "model-one" });
    expect(second.seen).toHaveLength(1);
    expect(second.seen[0]).toMatchObject({ method: "POST", url: "/v1/chat/completions" });
    expect(second.seen[0]!.headers.authorization).toBe(`Bearer ${key(2)}`);
    expect(JSON.parse(second.seen[0]!.body)).toEqual({ model: "model-two", messages: [{ role: "user", content: "hi" }] });
    expect(JSON.stringify(second.seen[0])).not.toContain(token);

    expect(await usageOf(credentialIds[0]!)).toEqual([{ status: 429, model: "model-one" }]);
    expect(await usageOf(credentialIds[1]!)).toEqual([{ status: 200, model: "model-two" }]);
  });

  it("connection refused and a 5xx move on too; the last candidate's answer is returned as is", async () => {
    const failing = await answer(503, { error: { message: "overloaded" } });
    const third = await ok("third");
    const { token, credentialIds } = await setup([
      { provider: "openai", host: CLOSED, model: "m1" },
      { provider: "deepseek", host: failing.host, model: "m2" },
      { provider: "qwen", host: third.host, model: "m3" },
    ]);
    const res = await call("coder", "chat/completions", token, { body: chat() });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: "third" });
    expect(res.headers.get("x-byok-credential")).toBe(credentialIds[2]);
    expect(res.headers.get("x-byok-attempts")).toBe("3");
    expect((await usageOf(credentialIds[0]!)).map((r) => r.status)).toEqual([502]);
    expect((await usageOf(credentialIds[1]!)).map((r) => r.status)).toEqual([503]);

    // When every candidate fails, the last failure is the answer: here the last one's 503.
    const last = await setup([
      { provider: "openai", host: CLOSED, model: "m1" },
      { provider: "deepseek", host: failing.host, model: "m2" },
    ]);
    const res2 = await call("coder", "chat/completions", last.token, { body: chat() });
    expect(res2.status).toBe(503);
    expect(res2.headers.get("x-byok-credential")).toBe(last.credentialIds[1]);
    // And BYOK's own 502 when the last one cannot be reached.
    const unreachable = await setup([
      { provider: "openai", host: failing.host, model: "m1" },
      { provider: "deepseek", host: CLOSED, model: "m2" },
    ]);
    const res3 = await call("coder", "chat/completions", unreachable.token, { body: chat() });
    expect(res3.status).toBe(502);
    expect(await res3.json()).toMatchObject({ error: { code: "upstream_unreachable" } });
    expect(res3.headers.get("x-byok-attempts")).toBe("2");
  });

  it("a 400 or 401 from the first entry is the answer: no retry", async () => {
    for (const status of [400, 401]) {
      const first = await answer(status, { error: { message: `no: ${key(1)}` } });
      const second = await ok("second");
      const { token, credentialIds } = await setup([
        { provider: "openai", host: first.host, model: "m1" },
        { provider: "deepseek", host: second.host, model: "m2" },
      ]);
      const res = await call("coder", "chat/completions", token, { body: chat() });
      expect(res.status).toBe(status);
      expect(res.headers.get("x-byok-credential")).toBe(credentialIds[0]);
      expect(res.headers.get("x-byok-attempts")).toBe("1");
      // Error bodies are masked as on the per-credential gateway.
      expect(await res.text()).not.toContain(key(1));
      expect(second.seen).toHaveLength(0);
    }
  });

  it("a stream that dies after its headers and first chunks is not retried: the client keeps what it got", async () => {
    const first = await upstream((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: "Hel" } }] })}\n\n`);
      setTimeout(() => res.destroy(), 50);
    });
    const second = await ok("second");
    const { token, credentialIds } = await setup([
      { provider: "openai", host: first.host, model: "m1" },
      { provider: "deepseek", host: second.host, model: "m2" },
    ]);
    const res = await call("coder", "chat/completions", token, { body: chat({ stream: true }) });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-byok-credential")).toBe(credentialIds[0]);
    const reader = res.body!.getReader();
    let received = "";
    await expect(
      (async () => {
        for (let next = await reader.read(); !next.done; next = await reader.read()) received += new TextDecoder().decode(next.value);
      })(),
    ).rejects.toBeTruthy();
    expect(received).toContain("Hel");
    expect(second.seen).toHaveLength(0);
    // The stream asked for usage, with the entry's model.
    expect(JSON.parse(first.seen[0]!.body)).toMatchObject({ model: "m1", stream_options: { include_usage: true } });
  });

  it("only the first entry's protocol family is tried: OpenAI, Anthropic, OpenAI → a 429 on 1 goes to 3", async () => {
    const first = await answer(429, { error: { message: "slow down" } });
    const anthropic = await ok("anthropic");
    const third = await ok("third");
    const { token, credentialIds } = await setup([
      { provider: "openai", host: first.host, model: "m1" },
      { provider: "anthropic", host: anthropic.host, model: "claude-x" },
      { provider: "openai-compatible", host: third.host, model: "m3" },
    ]);
    const res = await call("coder", "chat/completions", token, { body: chat() });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-byok-credential")).toBe(credentialIds[2]);
    expect(res.headers.get("x-byok-attempts")).toBe("2");
    expect(anthropic.seen).toHaveLength(0);

    // An Anthropic first entry makes it an Anthropic profile: the OpenAI entries are never tried.
    const anthropicFirst = await setup([
      { provider: "anthropic", host: anthropic.host, model: "claude-x" },
      { provider: "openai", host: third.host, model: "m1" },
    ]);
    const messages = await call("coder", "v1/messages", anthropicFirst.token, { body: chat({ max_tokens: 5 }) });
    expect(messages.status).toBe(200);
    expect(anthropic.seen[0]).toMatchObject({ url: "/v1/messages" });
    expect(anthropic.seen[0]!.headers["x-api-key"]).toBe(key(1));
    expect(JSON.parse(anthropic.seen[0]!.body)).toMatchObject({ model: "claude-x" });
    // The OpenAI path is not Anthropic's: refused, the OpenAI entry is never used for it.
    const refused = await call("coder", "chat/completions", anthropicFirst.token, { body: chat() });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "path_not_allowed" } });
    expect(third.seen).toHaveLength(1);
  });

  it("skips an Invalid entry; a removed member loses the org's entries at once", async () => {
    const invalid = await ok("invalid");
    const valid = await ok("valid");
    const skipped = await setup([
      { provider: "openai", host: invalid.host, model: "m1", status: "invalid" },
      { provider: "deepseek", host: valid.host, model: "m2" },
    ]);
    const res = await call("coder", "chat/completions", skipped.token, { body: chat() });
    expect(res.headers.get("x-byok-credential")).toBe(skipped.credentialIds[1]);
    expect(res.headers.get("x-byok-attempts")).toBe("1");
    expect(invalid.seen).toHaveLength(0);

    const db = await getDb();
    const owner = await createTestUser(db, "Owner");
    const member = await createTestUser(db, "Member");
    const org = await createOrganization(db, actorOf(owner), { name: `Failover org ${Date.now()}` });
    await addMember(db, org.id, member, "member");
    const shared = await ok("shared");
    const own = await ok("own");
    // The org's credential first in the member's personal profile, then their own.
    const { token, credentialIds } = await setup(
      [
        { provider: "openai", host: shared.host, model: "org-model", owner: orgOwner(org.id) },
        { provider: "deepseek", host: own.host, model: "mine" },
      ],
      member,
    );
    const before = await call("coder", "chat/completions", token, { body: chat() });
    expect(before.headers.get("x-byok-credential")).toBe(credentialIds[0]);
    await before.text();
    await removeMember(db, actorOf(owner), org.slug, member.id);
    const after = await call("coder", "chat/completions", token, { body: chat() });
    expect(after.headers.get("x-byok-credential")).toBe(credentialIds[1]);
    expect(after.headers.get("x-byok-model")).toBe("mine");
    expect(shared.seen).toHaveLength(1);
  });

  it("a client that goes away stops the failover", async () => {
    const silent = await upstream(() => {});
    const second = await ok("second");
    const { token, credentialIds } = await setup([
      { provider: "openai", host: silent.host, model: "m1" },
      { provider: "deepseek", host: second.host, model: "m2" },
    ]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    await call("coder", "chat/completions", token, { body: chat(), signal: controller.signal }).catch(() => null);
    await new Promise((r) => setTimeout(r, 900));
    expect(second.seen).toHaveLength(0);
    expect((await usageOf(credentialIds[0]!)).map((r) => r.status)).toEqual([499]);
    // No attempt at all on the second entry (not even one refused by the aborted signal).
    expect(await usageOf(credentialIds[1]!)).toEqual([]);
  });
});

describe("profile gateway: refusals", () => {
  it("401 for a bad token (before 404), 404 profile_not_found, 403 path_not_allowed without reaching an upstream", async () => {
    const up = await ok("x");
    const { token, db, user } = await setup([{ provider: "openai", host: up.host, model: "m1" }]);
    for (const name of ["coder", "nope", "Bad_Name"]) {
      const res = await call(name, "models", "byok_" + "A".repeat(43));
      expect(res.status, name).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
    expect((await call("coder", "models", null)).status).toBe(401);
    for (const name of ["nope", "Bad_Name", "x".repeat(60)]) {
      const res = await call(name, "models", token);
      expect(res.status, name).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: "profile_not_found" } });
    }
    for (const [path, method] of [
      ["files", "GET"],
      ["chat/completions", "GET"],
      ["models%2F..%2Ffiles", "GET"],
      ["v1/messages", "POST"],
    ] as const) {
      const res = await call("coder", path, token, { method, body: method === "POST" ? chat() : undefined });
      expect(res.status, path).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "path_not_allowed" } });
    }
    expect(up.seen).toHaveLength(0);

    // A profile whose every entry is unusable: 404 no_usable_model.
    await createProfile(db, actorOf(user), { kind: "user" }, "empty");
    const empty = await call("empty", "models", token);
    expect(empty.status).toBe(404);
    expect(await empty.json()).toMatchObject({ error: { code: "no_usable_model" } });

    // GET model listings go through too, with the entry's headers.
    const list = await call("coder", "models", token);
    expect(list.status).toBe(200);
    expect(list.headers.get("x-byok-model")).toBe("m1");
    expect(up.seen[0]).toMatchObject({ method: "GET", url: "/v1/models" });
  });
});
