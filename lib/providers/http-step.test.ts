/** The adapters' shared request machinery: JSON requests against the emulator, unreachable results, list errors. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/e2e/free-port";
import { OutboundError } from "@/lib/net/types";
import { bodyOf, routeOf, startKit, type Kit } from "@/test/provider-kit";
import { jsonClient, listRefusedError, listUnreachableError, unreachableFrom } from "./http-step";
import { bearerHeaders } from "./openai-family/style";

describe("unreachableFrom", () => {
  it("an OutboundError → unreachable on the step, reason masked, the error's host else the fallback", () => {
    const key = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789";
    const timedOut = new OutboundError("timeout", "api.example.com", `timed out with ${key}`);
    const result = unreachableFrom(timedOut, "model", [key], "fallback.example.com");
    expect(result).toMatchObject({ outcome: "unreachable", step: "model", host: "api.example.com" });
    expect(result.reason).not.toContain(key);
    expect(unreachableFrom(new OutboundError("dns", "", ""), "key", [], "fallback.example.com")).toEqual({
      outcome: "unreachable",
      step: "key",
      reason: "dns",
      host: "fallback.example.com",
    });
  });

  it("anything else is rethrown", () => {
    const bug = new TypeError("a bug");
    expect(() => unreachableFrom(bug, "key", [], "h")).toThrow(bug);
  });
});

describe("listModels errors", () => {
  it("say what failed, with the provider's message when there is one", () => {
    expect(listUnreachableError({ outcome: "unreachable", step: "key", host: "h", reason: "timed out after 0.5 s" }).message).toBe(
      "Could not list models: timed out after 0.5 s",
    );
    expect(listUnreachableError({ outcome: "unreachable", step: "key", host: "h" }).message).toBe("Could not list models: unreachable");
    expect(listRefusedError({ outcome: "invalid_key", step: "key", providerMessage: "Bad key." }, 401).message).toBe(
      "Could not list models (invalid_key, HTTP 401): Bad key.",
    );
    expect(listRefusedError({ outcome: "provider_error", step: "key" }, 500).message).toBe(
      "Could not list models (provider_error, HTTP 500)",
    );
  });
});

describe("jsonClient against the emulator", () => {
  let kit: Kit;
  const root = "/openai/v1";
  const clientFor = (apiKey: string, options: { host?: string; maxBytes?: number } = {}) =>
    jsonClient({
      fetch: kit.fetch,
      requestTimeoutMs: kit.requestTimeoutMs,
      signal: new AbortController().signal,
      headers: bearerHeaders(apiKey),
      secrets: [apiKey],
      host: options.host ?? "fallback",
    });

  beforeAll(async () => {
    kit = await startKit("openai");
  });
  afterAll(() => kit.close());

  it("GET without a body, POST with a JSON one, the headers on both", async () => {
    const apiKey = kit.config("valid", "gpt-4o").secrets.apiKey!;
    const http = clientFor(apiKey);
    const body = { model: "gpt-4o", max_tokens: 1, messages: [{ role: "user", content: "hi" }] };
    const { value, requests } = await kit.run(async () => ({
      listed: await http.send(`${kit.apiHost}/models`),
      invoked: await http.call("invocation", `${kit.apiHost}/chat/completions`, body),
    }));
    expect(value.listed.status).toBe(200);
    expect(value.invoked).toHaveProperty("response.status", 200);
    expect(requests.map((r) => routeOf(r, root))).toEqual(["GET /models", "POST /chat/completions"]);
    expect(requests[0]!.body).toBe("");
    expect(bodyOf(requests[1])).toEqual(body);
    for (const r of requests) expect(r.headers.authorization).toBe(`Bearer ${apiKey}`);
  });

  it("no answer: send throws the OutboundError, call gives the step's unreachable result", async () => {
    const port = await freePort();
    const http = clientFor(kit.config("valid", "gpt-4o").secrets.apiKey!);
    await expect(http.send(`http://127.0.0.1:${port}/v1/models`)).rejects.toBeInstanceOf(OutboundError);
    const attempt = await http.call("model", `http://127.0.0.1:${port}/v1/models`);
    expect(attempt).toMatchObject({
      failed: { outcome: "unreachable", step: "model", host: "127.0.0.1", reason: expect.stringMatching(/refused/) },
    });
    const slow = await clientFor(kit.config("slow", "gpt-4o").secrets.apiKey!).call("key", `${kit.apiHost}/models`);
    expect(slow).toMatchObject({ failed: { outcome: "unreachable", step: "key", reason: expect.stringMatching(/timed out/) } });
  });

  it("maxBytes caps the body read", async () => {
    const http = clientFor(kit.config("valid", "gpt-4o").secrets.apiKey!);
    const response = await http.send(`${kit.apiHost}/models`, undefined, 10);
    expect(response).toMatchObject({ status: 200, truncated: true });
    expect(response.text).toHaveLength(10);
  });
});
