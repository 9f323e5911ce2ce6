import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { parseCredentialForm } from "@/lib/credentials/form";
import { setUserDefault } from "@/lib/credentials/queries";
import { saveProviderCredential } from "@/lib/credentials/save";
import { userOwner } from "@/lib/owners";
import { createToken } from "@/lib/tokens/queries";
import { cardForm, configRequest, createTestUser, withEmulator } from "@/test/helpers";
import { openApiValidator } from "@/test/openapi-ajv";
import { GET as getConfig } from "../config/route";
import { GET } from "./route";

const { host } = withEmulator();

async function served() {
  const res = GET();
  return { res, doc: JSON.parse(await res.text()) as { openapi: string; paths: object; components: object } };
}

describe("GET /api/v1/openapi.json", () => {
  it("answers the document as cacheable JSON, valid OpenAPI 3.1, the same object every time", async () => {
    const { res, doc } = await served();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(doc.openapi).toMatch(/^3\.1\./);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
    expect((await served()).doc).toEqual(doc);
  });

  it("describes what the config route really answers, answers and errors alike", async () => {
    const validator = openApiValidator((await served()).doc);
    const db = await getDb();
    const user = await createTestUser(db);
    const parsed = parseCredentialForm(
      cardForm({
        provider: "openai",
        apiHost: host("openai"),
        model: "gpt-4o-mini",
        fields: { apiKey: "sk-proj-openapiKEYabcdefghijklmnopqrstuvwxyz0123456789" },
      }),
    );
    if (!parsed.ok) throw new Error("bad form");
    const saved = await saveProviderCredential(db, {
      owner: userOwner(user.id),
      actorUserId: user.id,
      input: parsed.data,
      definition: parsed.definition,
    });
    if (!saved.saved) throw new Error(`not saved: ${saved.report.title}`);
    const { token } = await createToken(db, userOwner(user.id), { name: "agent", expiresInDays: "never", actorUserId: user.id });

    const call = async (authorization: string | null, query = "") => {
      const res = await getConfig(configRequest(authorization, query));
      return { status: res.status, body: (await res.json()) as unknown };
    };
    const none = await call(`Bearer ${token}`);
    expect(none.status).toBe(404);
    expect(validator.configErrorProblems(none.body, 404)).toBeNull();
    await setUserDefault(db, user.id, saved.credential.id);
    const ok = await call(`Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(validator.configAnswerProblems(ok.body)).toBeNull();
    for (const [query, status] of [
      ["?provider=nope", 400],
      ["?provider=openai&profile=coding", 400],
      ["?format=yaml", 400],
      ["?provider=anthropic", 404],
    ] as const) {
      const res = await call(`Bearer ${token}`, query);
      expect(res.status, query).toBe(status);
      expect(validator.configErrorProblems(res.body, status)).toBeNull();
    }
    const unauthorized = await call("Bearer nope");
    expect(validator.configErrorProblems(unauthorized.body, unauthorized.status)).toBeNull();
  });
});
