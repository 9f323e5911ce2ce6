import { describe, expect, it } from "vitest";
import { parseConfigQuery } from "./contract";

const parse = (query: string) => parseConfigQuery(new URLSearchParams(query));

describe("parseConfigQuery", () => {
  it("accepts each parameter once, defaults the format to json and ignores unknown parameters", () => {
    expect(parse("")).toEqual({ ok: true, query: { format: "json" } });
    expect(parse("provider=openai-compatible&format=env&cb=123")).toEqual({
      ok: true,
      query: { provider: "openai-compatible", format: "env" },
    });
    expect(parse("profile=coding-2")).toEqual({ ok: true, query: { profile: "coding-2", format: "json" } });
    expect(parse(`profile=${"a".repeat(40)}`)).toMatchObject({ ok: true });
  });

  it("keeps the message agents have always seen for an unknown provider", () => {
    expect(parse("provider=nope")).toEqual({
      ok: false,
      message: "Unknown provider. Use one of the ids listed in the docs, e.g. ?provider=openai.",
    });
  });

  it.each([
    ["provider=openai&provider=zai", /at most once/],
    ["format=env&format=json", /at most once/],
    ["format=yaml", /Unknown format/],
    ["profile=Coding", /Invalid profile name/],
    ["profile=-coding", /Invalid profile name/],
    ["profile=coding-", /Invalid profile name/],
    ["profile=", /Invalid profile name/],
    [`profile=${"a".repeat(41)}`, /Invalid profile name/],
    ["provider=openai&profile=coding", /either \?provider= or \?profile=/],
  ])("refuses %s", (query, message) => {
    const result = parse(query);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.message).toMatch(message);
  });
});
