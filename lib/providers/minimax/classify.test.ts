import { describe, expect, it } from "vitest";
import { classifyMiniMax, miniMaxToolSupport } from "./classify";

const KEY =
  "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJHcm91cE5hbWUiOiJlbXVsYXRvciIsIlVzZXJOYW1lIjoiZW11bGF0b3IifQ.Zq8xT3vLmN5pRw2yKb7cHd4fJg6sVa9eUt1iOo0QrXk2";
const baseResp = (code: number, msg: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ...extra, base_resp: { status_code: code, status_msg: msg } });
const skeleton = {
  id: "05b1",
  choices: null,
  created: 1761000000,
  model: "MiniMax-M2",
  object: "chat.completion",
  usage: { total_tokens: 0 },
};
const completion = (message: Record<string, unknown>, finish = "length", code = 0) =>
  JSON.stringify({
    id: "05b1",
    choices: [{ finish_reason: finish, index: 0, message: { role: "assistant", name: "MiniMax AI", ...message } }],
    model: "MiniMax-M2",
    object: "chat.completion",
    base_resp: { status_code: code, status_msg: "" },
  });
// The same codes inside the HTTP error bodies of MiniMax's OpenAI- and Anthropic-style endpoints.
const openAiShape = (message: string, type = "bad_request_error") => JSON.stringify({ error: { message, type, param: "", code: null } });
const anthropicShape = (message: string, type: string) =>
  JSON.stringify({ type: "error", error: { type, message, http_code: "400" }, request_id: "0660b098aa1e9dd5a6773a48c479fc89" });
const HTML_500 =
  "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body><center><h1>500 Internal Server Error</h1></center></body></html>";

describe("classifyMiniMax: HTTP 200 with a non-zero base_resp is a failure", () => {
  it("2049 invalid api key and 1004 not authorized → invalid_key at the key step", () => {
    expect(classifyMiniMax(200, baseResp(2049, "invalid api key"))).toMatchObject({
      outcome: "invalid_key",
      step: "key",
      httpStatus: 200,
      providerCode: "2049",
      providerMessage: "invalid api key",
    });
    const login = baseResp(1004, "login fail: Please carry the API secret key in the 'Authorization' field of the request header");
    expect(classifyMiniMax(200, login)).toMatchObject({ outcome: "invalid_key", providerCode: "1004" });
  });
  it("1008 insufficient balance and 2056 plan usage limit → quota_exceeded", () => {
    expect(classifyMiniMax(200, baseResp(1008, "insufficient balance", skeleton))).toMatchObject({
      outcome: "quota_exceeded",
      step: "invocation",
      providerCode: "1008",
    });
    expect(classifyMiniMax(200, baseResp(2056, "usage limit exceeded")).outcome).toBe("quota_exceeded");
  });
  it("1002 rate limit → rate_limited, never quota", () => {
    expect(classifyMiniMax(200, baseResp(1002, "rate limit exceeded(RPM)", skeleton))).toMatchObject({
      outcome: "rate_limited",
      providerCode: "1002",
    });
  });
  it("2013 about the model → invalid_model; other invalid params → provider_error", () => {
    expect(classifyMiniMax(200, baseResp(2013, "invalid params, unknown model 'MiniMax-M9'", skeleton))).toMatchObject({
      outcome: "invalid_model",
      step: "model",
      providerCode: "2013",
    });
    expect(classifyMiniMax(200, baseResp(2013, "invalid params, model is not supported")).outcome).toBe("invalid_model");
    expect(classifyMiniMax(200, baseResp(2013, "invalid params, invalid chat setting"))).toMatchObject({
      outcome: "provider_error",
      providerCode: "2013",
    });
  });
  it("unknown codes → provider_error with the code; a numeric-string code is read", () => {
    expect(classifyMiniMax(200, baseResp(1000, "unknown error"))).toMatchObject({
      outcome: "provider_error",
      providerCode: "1000",
      providerMessage: "unknown error",
    });
    expect(classifyMiniMax(200, JSON.stringify({ base_resp: { status_code: "2049", status_msg: "invalid api key" } })).outcome).toBe(
      "invalid_key",
    );
  });
  it("a non-zero base_resp wins even when choices are present", () => {
    expect(classifyMiniMax(200, completion({ content: "O" }, "length", 1008)).outcome).toBe("quota_exceeded");
  });
});

describe("classifyMiniMax: a 200 is valid only as a completion", () => {
  it("choices with base_resp 0 (or no base_resp) → valid at the invocation step", () => {
    expect(classifyMiniMax(200, completion({ content: "<think>" }))).toEqual({ outcome: "valid", step: "invocation", httpStatus: 200 });
    expect(classifyMiniMax(200, JSON.stringify({ choices: [{ message: { content: "O" } }] })).outcome).toBe("valid");
  });
  it("choices null, empty, HTML, array, plain text and truncated bodies → provider_error with a message", () => {
    const bodies = [
      JSON.stringify({ ...skeleton, base_resp: { status_code: 0, status_msg: "" } }),
      "",
      "<html><body>nginx</body></html>",
      "[]",
      "[1,2]",
      "OK",
      '{"choices": [',
    ];
    for (const body of bodies) {
      const v = classifyMiniMax(200, body);
      expect(v.outcome, body).toBe("provider_error");
      expect(v.providerMessage, body).toBeTruthy();
    }
    const cut = classifyMiniMax(200, completion({ content: "ok ".repeat(100) }).slice(0, 120), { truncated: true });
    expect(cut).toMatchObject({ outcome: "provider_error", providerMessage: expect.stringMatching(/size limit/) });
  });
  it("a 200 carrying an error envelope without a code is judged by its message", () => {
    expect(classifyMiniMax(200, openAiShape("invalid api key")).outcome).toBe("invalid_key");
  });
});

describe("classifyMiniMax: HTTP errors", () => {
  it("reads the code at the end of the message, whatever the status", () => {
    expect(classifyMiniMax(400, openAiShape("invalid params, unknown model 'gpt-5.5' (2013)"))).toMatchObject({
      outcome: "invalid_model",
      httpStatus: 400,
      providerCode: "2013",
    });
    expect(classifyMiniMax(400, anthropicShape("invalid params, invalid chat setting (2013)", "bad_request_error")).outcome).toBe(
      "provider_error",
    );
    const login = anthropicShape(
      "login fail: Please carry the API secret key in the 'Authorization' field of the request header (1004)",
      "authorized_error",
    );
    expect(classifyMiniMax(401, login)).toMatchObject({ outcome: "invalid_key", providerCode: "1004" });
    // Seen in the wild: insufficient balance as a 500 or a 429, the plan limit as a 429.
    expect(classifyMiniMax(500, anthropicShape("insufficient balance (1008)", "api_error")).outcome).toBe("quota_exceeded");
    const balance429 = JSON.stringify({
      error: { http_code: "429", message: "insufficient balance (1008)", type: "insufficient_balance_error" },
      request_id: "x",
    });
    expect(classifyMiniMax(429, balance429).outcome).toBe("quota_exceeded");
    const plan = anthropicShape(
      "usage limit exceeded, 5-hour usage limit reached for Token Plan Starter (0/0 used), resets at 2026-05-15T15:00:00Z (2056)",
      "rate_limit_error",
    );
    expect(classifyMiniMax(429, plan)).toMatchObject({ outcome: "quota_exceeded", providerCode: "2056" });
  });
  it("without a code: 401/403 → invalid_key, 429 → rate_limited, 404 (wrong path) → provider_error", () => {
    expect(
      classifyMiniMax(401, JSON.stringify({ type: "error", error: { type: "authentication_error", message: "invalid api key" } })).outcome,
    ).toBe("invalid_key");
    expect(classifyMiniMax(403, "").outcome).toBe("invalid_key");
    expect(classifyMiniMax(429, "").outcome).toBe("rate_limited");
    expect(classifyMiniMax(404, "404 page not found")).toMatchObject({
      outcome: "provider_error",
      httpStatus: 404,
      providerMessage: "404 page not found",
    });
  });
  it("unknown code on an HTTP error → falls back to the status, keeps the code", () => {
    expect(classifyMiniMax(529, openAiShape("The server cluster is currently under high load. (2064)", "overloaded_error"))).toMatchObject({
      outcome: "provider_error",
      httpStatus: 529,
      providerCode: "2064",
    });
    expect(classifyMiniMax(429, openAiShape("tpm limit (1039)"))).toMatchObject({ outcome: "rate_limited", providerCode: "1039" });
  });
  it("HTML 5xx, empty, arrays, plain text and truncated error bodies never crash", () => {
    expect(classifyMiniMax(500, HTML_500)).toMatchObject({
      outcome: "provider_error",
      httpStatus: 500,
      providerMessage: "500 Internal Server Error",
    });
    expect(classifyMiniMax(502, "")).toMatchObject({ outcome: "provider_error", httpStatus: 502 });
    expect(classifyMiniMax(400, JSON.stringify([{ error: { message: "invalid params, unknown model 'x' (2013)" } }])).outcome).toBe(
      "invalid_model",
    );
    expect(classifyMiniMax(400, "[1,2,3]").outcome).toBe("provider_error");
    expect(classifyMiniMax(503, "upstream connect error or disconnect/reset before headers").providerMessage).toBe(
      "upstream connect error or disconnect/reset before headers",
    );
    expect(classifyMiniMax(400, '{"base_resp": {"status_co', { truncated: true }).outcome).toBe("provider_error");
    expect(classifyMiniMax(302, "<html><head><title>302 Found</title></head></html>")).toMatchObject({
      outcome: "provider_error",
      httpStatus: 302,
    });
  });
});

describe("classifyMiniMax: the message", () => {
  it("masks the key, one line, at most 300 characters", () => {
    const v = classifyMiniMax(200, baseResp(2049, `invalid api key ${KEY}\n${"x ".repeat(300)}`), { secrets: [KEY] });
    expect(v.providerMessage).not.toContain(KEY);
    expect(v.providerMessage).not.toContain(KEY.slice(-12));
    expect(v.providerMessage).not.toContain("\n");
    expect(v.providerMessage!.length).toBeLessThanOrEqual(300);
  });
});

describe("miniMaxToolSupport", () => {
  const call = { tool_calls: [{ id: "call_function_1", type: "function", function: { name: "get_weather", arguments: "{}" } }] };
  it("a tool call → supported; a plain answer → unsupported", () => {
    expect(miniMaxToolSupport(200, completion({ content: "<think>\nok\n</think>\n\n", ...call }, "tool_calls"))).toBe("supported");
    expect(miniMaxToolSupport(200, completion({ content: "<think>\nx\n</think>\n\nIt is sunny." }, "stop"))).toBe("unsupported");
  });
  it("cut while still thinking → unknown", () => {
    expect(miniMaxToolSupport(200, completion({ content: "<think>\nThe user wants" }, "length"))).toBe("unknown");
  });
  it("base_resp errors → unknown, unless they say tools are not supported", () => {
    expect(miniMaxToolSupport(200, baseResp(1008, "insufficient balance"))).toBe("unknown");
    expect(miniMaxToolSupport(200, baseResp(2013, "invalid params, tools is not supported for this model"))).toBe("unsupported");
    expect(miniMaxToolSupport(500, HTML_500)).toBe("unknown");
    expect(miniMaxToolSupport(200, "")).toBe("unknown");
  });
});
