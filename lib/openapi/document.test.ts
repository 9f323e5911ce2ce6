import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import {
  AGENT_ERROR_CODES,
  CONFIG_ERROR_CODES,
  ConfigQuery,
  GATEWAY_ERROR_CODES,
  PROFILE_GATEWAY_ERROR_CODES,
  agentErrorStatus,
} from "@/lib/config/contract";
import { errorStatus, type ErrorCode } from "@/lib/errors";
import { openApiValidator } from "@/test/openapi-ajv";
import packageJson from "@/package.json";
import { CONFIG_PATH, GATEWAY_PATH, OPENAPI_PATH, PROFILE_GATEWAY_PATH, buildOpenApiDocument, configExamples } from "./document";

const doc = buildOpenApiDocument();
const validator = openApiValidator(doc);
const root = path.resolve(import.meta.dirname, "../..");

type Operation = {
  parameters?: { name: string; in: string }[];
  responses: Record<
    string,
    { $ref?: string; description?: string; content?: Record<string, { examples?: Record<string, { value: unknown }> }> }
  >;
  security?: Record<string, string[]>[];
};
const operation = (p: string, method = "get") => (doc.paths as Record<string, Record<string, Operation>>)[p]![method]!;
/** A response, following a `$ref` into components. */
const response = (op: Operation, status: string) => {
  const r = op.responses[status]!;
  return r.$ref ? (doc.components!.responses as Record<string, typeof r>)[r.$ref.split("/").pop()!]! : r;
};
const codesOf = (op: Operation) =>
  Object.keys(op.responses)
    .filter((s) => /^\d+$/.test(s) && s !== "200")
    .flatMap((s) => Object.keys(response(op, s).content?.["application/json"]?.examples ?? {}).map((code) => [code, Number(s)] as const));

/** Error codes that appear as string literals in the given source files (known codes only). */
function codesIn(files: string[]): Set<string> {
  const known = new Set(Object.keys(errorStatus));
  const found = new Set<string>();
  for (const file of files) {
    for (const [, literal] of readFileSync(path.join(root, file), "utf8").matchAll(/"([a-z_]+)"/g))
      if (known.has(literal!)) found.add(literal!);
  }
  return found;
}

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.version).toBe(packageJson.version);
    expect(doc.servers).toEqual([expect.objectContaining({ url: "/" })]);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it("names APP_URL as its server when given one", () => {
    expect(buildOpenApiDocument({ origin: "https://byok.example.org" }).servers).toEqual([
      expect.objectContaining({ url: "https://byok.example.org" }),
    ]);
  });

  it("documents every query parameter of GET /api/v1/config, and its security", () => {
    const params = operation(CONFIG_PATH)
      .parameters!.filter((p) => p.in === "query")
      .map((p) => p.name);
    expect(params.sort()).toEqual(Object.keys(ConfigQuery.shape).sort());
    expect(operation(CONFIG_PATH).security).toEqual([{ agentToken: [] }]);
  });

  it("documents every config error code under the status lib/errors.ts gives it", () => {
    expect(new Map(codesOf(operation(CONFIG_PATH)))).toEqual(new Map(CONFIG_ERROR_CODES.map((code) => [code, agentErrorStatus(code)])));
    for (const code of AGENT_ERROR_CODES) {
      if (code in errorStatus) expect(agentErrorStatus(code)).toBe(errorStatus[code as ErrorCode]);
    }
    for (const status of [429, 503])
      expect(Object.keys((response(operation(CONFIG_PATH), String(status)) as { headers: object }).headers)).toContain("Retry-After");
  });

  it("lists every error code the config endpoint's code can answer with", () => {
    // Literals in the route and lib/config (contract.ts lists the gateway's codes too, so not it).
    const files = ["app/api/v1/config/route.ts", "lib/http.ts", ...readdirTs("lib/config").filter((f) => !f.endsWith("contract.ts"))];
    const emitted = [...codesIn(files)];
    expect(CONFIG_ERROR_CODES).toEqual(expect.arrayContaining(emitted));
  });

  it("documents the gateway paths with their three ways to send a token and every gateway error code", () => {
    const emitted = [...codesIn(readdirTs("lib/gateway").filter((f) => !f.endsWith("profile.ts")))];
    expect(GATEWAY_ERROR_CODES).toEqual(expect.arrayContaining(emitted));
    const profileFiles = ["lib/gateway/profile.ts", "lib/profiles/resolve.ts", "app/api/v1/gateway/profile/[name]/[...path]/route.ts"];
    expect(PROFILE_GATEWAY_ERROR_CODES).toEqual(expect.arrayContaining([...emitted, ...codesIn(profileFiles)]));
    for (const [p, codes] of [
      [GATEWAY_PATH, GATEWAY_ERROR_CODES],
      [PROFILE_GATEWAY_PATH, PROFILE_GATEWAY_ERROR_CODES],
    ] as const) {
      for (const method of ["get", "post"]) {
        const op = operation(p, method);
        expect(op.security).toEqual([{ agentToken: [] }, { agentTokenXApiKey: [] }, { agentTokenApiKey: [] }]);
        expect(new Set(codesOf(op).map(([code]) => code))).toEqual(new Set(codes));
        expect(op.responses.default?.description).toMatch(/provider's own answer/);
      }
    }
    expect(JSON.stringify(operation(PROFILE_GATEWAY_PATH).responses.default)).toContain("x-byok-model");
    expect(operation(OPENAPI_PATH).security).toEqual([]);
  });
});

function readdirTs(dir: string): string[] {
  return readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => `${dir}/${f}`);
}

describe("ConfigAnswer, checked with ajv against the document", () => {
  const examples = configExamples("https://byok.example.com");

  it.each(Object.entries(examples))("accepts the %s example", (_, answer) => {
    expect(validator.configAnswerProblems(answer)).toBeNull();
  });

  it("accepts the examples the document publishes, and each error example under its status", () => {
    const ok = response(operation(CONFIG_PATH), "200").content!["application/json"]!.examples!;
    for (const example of Object.values(ok)) expect(validator.configAnswerProblems(example.value)).toBeNull();
    for (const [code, status] of codesOf(operation(CONFIG_PATH))) {
      const example = response(operation(CONFIG_PATH), String(status)).content!["application/json"]!.examples![code]!.value;
      expect(validator.configErrorProblems(example, status)).toBeNull();
    }
  });

  it("rejects malformed answers, saying what is wrong", () => {
    const { apiHost: _, ...noHost } = examples.key;
    expect(validator.configAnswerProblems(noHost)).toMatch(/apiHost/);
    expect(validator.configAnswerProblems({ ...examples.key, delivery: "proxy" })).toMatch(/delivery/);
    expect(validator.configAnswerProblems({ ...examples.key, validatedAt: "yesterday" })).toMatch(/validatedAt/);
    expect(validator.configAnswerProblems({ ...examples.key, source: { ...examples.key.source, via: "magic" } })).toMatch(/via/);
    expect(validator.configAnswerProblems({ ...examples.profile, fallbacks: [{ ...examples.key, profile: "nested" }] })).toMatch(
      /fallbacks/,
    );
  });

  it("holds error bodies to the codes of their status", () => {
    const body = { error: { code: "no_default_model", message: "No default model is set." } };
    expect(validator.configErrorProblems(body, 404)).toBeNull();
    expect(validator.configErrorProblems(body, 400)).toMatch(/code/);
    expect(validator.configErrorProblems({ error: { code: "no_default_model" } }, 404)).toMatch(/message/);
    expect(validator.configErrorProblems(body, 418)).toMatch(/does not document status 418/);
  });
});
