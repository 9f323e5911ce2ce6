/** Gemini (OpenAI-compatible) emulation over real HTTP: Google's envelope, array-wrapped chat errors, models/ ids, thinking. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorApiHost, startEmulator, type Emulator } from "./index";
import { call, type CallResult } from "./test-client";

let emulator: Emulator;
let host: string;
const chat = (key: string | undefined, body: unknown) => call(host, "/chat/completions", { key, body });
const probe = (model = "gemini-2.0-flash", extra: Record<string, unknown> = {}) => ({
  model,
  max_tokens: 1,
  messages: [{ role: "user", content: "hi" }],
  ...extra,
});
type GoogleBody = { error: { code: number; message: string; status: string; details?: Record<string, unknown>[] } };
const plain = (res: CallResult) => (res.json as GoogleBody).error;
const inArray = (res: CallResult) => {
  expect(Array.isArray(res.json)).toBe(true);
  return (res.json as GoogleBody[])[0]!.error;
};

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, slowMs: 300 });
  host = emulatorApiHost(emulator.url, "gemini");
});
afterAll(() => emulator.close());

describe("gemini models", () => {
  it("lists models with the models/ prefix at …/gemini/v1beta/openai", async () => {
    expect(host).toBe(`${emulator.url}/gemini/v1beta/openai`);
    const res = await call(host, "/models", { key: "AIza-valid" });
    expect(res.json).toEqual({
      object: "list",
      data: ["gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash-lite", "gemini-2.0-flash"].map((id) => ({
        id: `models/${id}`,
        object: "model",
        owned_by: "google",
      })),
    });
  });

  it("retrieves a model with or without the prefix; 404 NOT_FOUND otherwise (not wrapped)", async () => {
    for (const path of ["/models/gemini-2.5-pro", "/models/models/gemini-2.5-pro", "/models/models%2Fgemini-2.5-pro"]) {
      expect((await call(host, path, { key: "AIza-valid" })).json).toEqual({
        id: "models/gemini-2.5-pro",
        object: "model",
        owned_by: "google",
      });
    }
    const unknown = await call(host, "/models/gemini-x", { key: "AIza-valid" });
    expect(unknown.status).toBe(404);
    expect(plain(unknown)).toMatchObject({ code: 404, status: "NOT_FOUND" });
    expect(plain(unknown).message).toMatch(/^models\/gemini-x is not found for API version v1beta/);
  });

  it("answers a list over 2 MiB for huge keys", async () => {
    const res = await call(host, "/models", { key: "AIza-huge" });
    expect(Buffer.byteLength(res.text)).toBeGreaterThan(2 * 1024 * 1024);
    expect((res.json as { data: { id: string }[] }).data[0]!.id).toBe("models/gemini-2.5-flash");
  });
});

describe("gemini credentials", () => {
  it("a bad key is a 400 INVALID_ARGUMENT with ErrorInfo API_KEY_INVALID: plain on /models, in an array on chat", async () => {
    const list = await call(host, "/models", { key: "AIza-BAD" });
    expect(list.status).toBe(400);
    expect(plain(list)).toMatchObject({
      code: 400,
      status: "INVALID_ARGUMENT",
      message: "API key not valid. Please pass a valid API key.",
    });
    expect(plain(list).details?.[0]).toMatchObject({ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID" });
    const sent = await chat("AIza-bad", probe("gemini-x"));
    expect(sent.status).toBe(400);
    expect(inArray(sent).details?.[0]).toMatchObject({ reason: "API_KEY_INVALID" });
  });

  it("no key → 403 PERMISSION_DENIED; Bearer and x-goog-api-key together → 400; x-goog-api-key alone works", async () => {
    const none = await call(host, "/models");
    expect(none.status).toBe(403);
    expect(plain(none).status).toBe("PERMISSION_DENIED");
    const both = await call(host, "/models", { key: "AIza-valid", headers: { "x-goog-api-key": "AIza-valid" } });
    expect(both.status).toBe(400);
    expect(plain(both).message).toBe("Multiple authentication credentials received. Please pass only one.");
    expect((await call(host, "/models", { headers: { "x-goog-api-key": "AIza-valid" } })).status).toBe(200);
  });

  it("unknown paths and wrong methods get Google's HTML 404 page", async () => {
    for (const res of [
      await call(host, "/v1/models", { key: "AIza-valid" }),
      await call(host, "/chat/completions", { key: "AIza-valid" }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(res.text).toContain("<title>Error 404 (Not Found)!!1</title>");
    }
  });
});

describe("gemini chat completions", () => {
  it("answers in Gemini's shape, honouring max_tokens; accepts models/ ids", async () => {
    const res = await chat("AIza-valid", probe("models/gemini-2.0-flash"));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      object: "chat.completion",
      model: "gemini-2.0-flash",
      choices: [{ index: 0, finish_reason: "length", message: { role: "assistant", content: "O" } }],
      usage: { completion_tokens: 1 },
    });
  });

  it("thinking models spend a small budget thinking; reasoning_effort none turns it off where allowed", async () => {
    const thought = await chat("AIza-valid", probe("gemini-2.5-flash"));
    expect(thought.json).toMatchObject({ choices: [{ finish_reason: "length", message: { content: null } }] });
    const direct = await chat("AIza-valid", probe("gemini-2.5-flash", { reasoning_effort: "none" }));
    expect(direct.json).toMatchObject({ choices: [{ message: { content: "O" } }] });
    const refused = await chat("AIza-valid", probe("gemini-2.5-pro", { reasoning_effort: "none" }));
    expect(refused.status).toBe(400);
    expect(inArray(refused).message).toBe("Budget 0 is invalid. This model only works in thinking mode.");
  });

  it("404s an unknown model and 400s bad bodies, wrapped in an array", async () => {
    const unknown = await chat("AIza-valid", probe("gemini-x"));
    expect(unknown.status).toBe(404);
    expect(inArray(unknown).status).toBe("NOT_FOUND");
    expect(inArray(await chat("AIza-valid", { model: "gemini-2.0-flash", messages: [] })).status).toBe("INVALID_ARGUMENT");
    expect((await call(host, "/chat/completions", { key: "AIza-valid", rawBody: "{" })).status).toBe(400);
  });

  it("quota → 429 with a per-day quotaId; ratelimit → 429 with a per-minute quotaId; both with RetryInfo", async () => {
    for (const [key, period] of [
      ["AIza-quota", "PerDay"],
      ["AIza-ratelimit", "PerMinute"],
    ] as const) {
      const res = await chat(key, probe());
      expect(res.status).toBe(429);
      const error = inArray(res);
      expect(error).toMatchObject({ code: 429, status: "RESOURCE_EXHAUSTED" });
      expect(error.message).toMatch(/^You exceeded your current quota/);
      expect(JSON.stringify(error.details)).toContain(`GenerateRequests${period}PerProjectPerModel-FreeTier`);
      expect(error.details?.at(-1)).toMatchObject({ "@type": "type.googleapis.com/google.rpc.RetryInfo" });
    }
    expect((await call(host, "/models", { key: "AIza-quota" })).status).toBe(200);
  });

  it("overloaded → 503 UNAVAILABLE, error500 → HTML 500, redirect → 302", async () => {
    const overloaded = await call(host, "/models", { key: "AIza-overloaded" });
    expect(overloaded.status).toBe(503);
    expect(plain(overloaded).status).toBe("UNAVAILABLE");
    expect((await chat("AIza-error500", probe())).text).toMatch(/^<html>/);
    expect((await call(host, "/models", { key: "AIza-redirect" })).status).toBe(302);
  });

  it("calls the offered function unless the key says notools", async () => {
    const tools = [
      {
        type: "function",
        function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
      },
    ];
    const body = probe("gemini-2.0-flash", { max_tokens: 32, tools, tool_choice: "required" });
    const used = (await chat("AIza-valid", body)).json as {
      choices: { finish_reason: string; message: { tool_calls: Record<string, unknown>[] } }[];
    };
    expect(used.choices[0]!.finish_reason).toBe("tool_calls");
    expect(used.choices[0]!.message.tool_calls[0]).toMatchObject({
      type: "function",
      function: { name: "get_weather", arguments: '{"city":"Paris"}' },
    });
    const refused = (await chat("AIza-notools", body)).json as { choices: { message: Record<string, unknown> }[] };
    expect(refused.choices[0]!.message).toMatchObject({ role: "assistant", content: "OK. This is the emulator." });
  });
});
