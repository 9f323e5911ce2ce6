import { describe, expect, it } from "vitest";
import { bodyFor, MAX_REQUEST_BYTES, parseBody, prepareBody, readRequestBody } from "./body";

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

describe("bodyFor", () => {
  it("replays one parsed body with each entry's model, never changing the parsed value", () => {
    const raw = json({ model: "asked", stream: true, messages: [{ role: "user", content: "hi" }] });
    const parsed = parseBody(raw, "application/json");
    const first = bodyFor(parsed, true, "gpt-a");
    const second = bodyFor(parsed, false, "gpt-b");
    expect(JSON.parse(first.body!.toString())).toEqual({
      model: "gpt-a",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
      stream_options: { include_usage: true },
    });
    expect(JSON.parse(second.body!.toString())).toEqual({ model: "gpt-b", stream: true, messages: [{ role: "user", content: "hi" }] });
    expect([first.model, second.model]).toEqual(["gpt-a", "gpt-b"]);
    expect(parsed.value).toEqual({ model: "asked", stream: true, messages: [{ role: "user", content: "hi" }] });
    // The same model, or none asked: the bytes as sent.
    expect(bodyFor(parseBody(json({ model: "gpt-a" }), null), false, "gpt-a").body).toEqual(json({ model: "gpt-a" }));
    expect(bodyFor(parsed, false, null).body).toBe(raw);
    // Not JSON: as is.
    const form = Buffer.from("model=x");
    expect(bodyFor(parseBody(form, "text/plain"), true, "gpt-a").body).toBe(form);
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
