import { describe, expect, it } from "vitest";
import {
  apiUrl,
  cleanProviderMessage,
  extractError,
  listModelIds,
  messageFromNonJson,
  normalizeBaseUrl,
  parseJsonBody,
  salvageModelIds,
} from "./style";

describe("normalizeBaseUrl and apiUrl", () => {
  it("strips trailing slashes, pasted endpoints and a doubled /v1", () => {
    expect(normalizeBaseUrl(" https://api.openai.com/v1/ ")).toBe("https://api.openai.com/v1");
    expect(normalizeBaseUrl("https://api.openai.com/v1/v1//")).toBe("https://api.openai.com/v1");
    expect(normalizeBaseUrl("https://api.openai.com/v1/chat/completions")).toBe("https://api.openai.com/v1");
    expect(normalizeBaseUrl("https://api.openai.com/v1/models?x=1#y")).toBe("https://api.openai.com/v1");
    expect(normalizeBaseUrl("https://generativelanguage.googleapis.com/v1beta/openai/")).toBe(
      "https://generativelanguage.googleapis.com/v1beta/openai",
    );
  });
  it("gives a bare origin the default path only when asked", () => {
    expect(normalizeBaseUrl("https://api.openai.com", "/v1")).toBe("https://api.openai.com/v1");
    expect(normalizeBaseUrl("https://api.deepseek.com/")).toBe("https://api.deepseek.com");
  });
  it("never doubles /v1 or slashes when joining", () => {
    expect(apiUrl("https://api.openai.com/v1", "/models")).toBe("https://api.openai.com/v1/models");
    expect(apiUrl("https://api.openai.com/v1/", "/v1/models")).toBe("https://api.openai.com/v1/models");
    expect(apiUrl("https://api.deepseek.com", "models")).toBe("https://api.deepseek.com/models");
  });
  it("leaves a non-URL for the guarded fetch to refuse", () => {
    expect(normalizeBaseUrl("not a url/")).toBe("not a url");
  });
});

describe("body parsing", () => {
  it("never throws on odd bodies", () => {
    for (const text of ["", "<html>", "plain", "{", "[1,", "null", "\u0000\u0001"])
      expect(() => extractError(parseJsonBody(text))).not.toThrow();
    expect(parseJsonBody('{"a":1}', true)).toBeUndefined();
  });
  it("reads error envelopes of several shapes", () => {
    expect(extractError({ error: { message: "m", type: "t", code: 1211, param: "p" } })).toEqual({
      message: "m",
      type: "t",
      code: "1211",
      param: "p",
    });
    expect(extractError({ error: { code: 400, message: "bad", status: "INVALID_ARGUMENT" } })).toMatchObject({
      code: "400",
      type: "INVALID_ARGUMENT",
    });
    expect(extractError({ error: "Unauthorized" })).toMatchObject({ message: "Unauthorized" });
    expect(extractError({ detail: "Not Found" })).toMatchObject({ message: "Not Found" });
    expect(extractError([{ error: { message: "in an array" } }])).toMatchObject({ message: "in an array" });
    expect(extractError(42)).toEqual({});
  });
  it("takes a title from HTML and text from plain bodies", () => {
    expect(messageFromNonJson("<!DOCTYPE html><html><head><title> Bad Gateway </title></head></html>")).toBe("Bad Gateway");
    expect(messageFromNonJson("<html><body>no title</body></html>")).toBeUndefined();
    expect(messageFromNonJson("404 page not found\n")).toBe("404 page not found");
    expect(messageFromNonJson("   ")).toBeUndefined();
  });
  it("cleans messages to one masked line of at most 300 characters", () => {
    const key = "sk-proj-Zq8xT3vLmN5pRw2yKb7cHd4fJg6sVa9eUt1iOo0QrXk2Lm3NpMxYA";
    const out = cleanProviderMessage(`line one\n\tline two ${key} ${"y".repeat(400)}`, [key])!;
    expect(out.startsWith("line one line two sk-proj-…MxYA ")).toBe(true);
    expect(out).toHaveLength(300);
    expect(cleanProviderMessage(" \n ", [])).toBeUndefined();
  });
  it("lists model ids, and salvages them from a cut list", () => {
    expect(listModelIds({ object: "list", data: [{ id: "a" }, { id: 3 }, "x", { id: "b" }] })).toEqual(["a", "b"]);
    expect(listModelIds({ data: "nope" })).toBeUndefined();
    expect(salvageModelIds('{"object":"list","data":[{"id":"a","object":"model"},{"id":"b"},{"id":"c')).toEqual(["a", "b"]);
  });
});
