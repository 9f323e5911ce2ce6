import { describe, expect, it } from "vitest";
import { MAX_REQUEST_BYTES, prepareBody, readRequestBody } from "./body";

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe("prepareBody", () => {
  it("asks a streaming OpenAI-style request for usage, keeping its other stream options", () => {
    const out = prepareBody(json({ model: "gpt-4o", stream: true, stream_options: { x: 1 } }), "application/json", true);
    expect(JSON.parse(out.body!.toString())).toEqual({ model: "gpt-4o", stream: true, stream_options: { x: 1, include_usage: true } });
    expect(out).toMatchObject({ model: "gpt-4o", stream: true });
  });

  it("leaves everything else byte for byte: non-streaming, a client's explicit choice, other paths, non-JSON", () => {
    for (const [value, askUsage] of [
      [{ model: "m", stream: false }, true],
      [{ model: "m", stream: true, stream_options: { include_usage: false } }, true],
      [{ model: "m", stream: true }, false],
    ] as const) {
      const body = Buffer.from(` ${JSON.stringify(value)} `);
      expect(prepareBody(body, "application/json", askUsage).body).toBe(body);
    }
    const form = Buffer.from("model=x");
    expect(prepareBody(form, "application/x-www-form-urlencoded", true)).toEqual({ body: form, model: null, stream: false });
    const deep = Buffer.from(`${"[".repeat(10_000)}`);
    expect(prepareBody(deep, "application/json", true).body).toBe(deep);
    expect(prepareBody(json({ model: "x".repeat(300) }), "application/json", true).model).toBeNull();
  });
});

describe("readRequestBody", () => {
  it("reads a body, and refuses one past the cap whatever Content-Length says", async () => {
    const ok = await readRequestBody(new Request("http://x/", { method: "POST", body: "hello" }));
    expect(ok?.toString()).toBe("hello");
    expect(await readRequestBody(new Request("http://x/", { method: "POST" }))).toBeUndefined();
    const big = new Request("http://x/", { method: "POST", body: new Uint8Array(MAX_REQUEST_BYTES + 1) });
    await expect(readRequestBody(big)).rejects.toMatchObject({ code: "payload_too_large", status: 413 });
  });
});
