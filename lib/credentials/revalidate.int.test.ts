import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { jobLeases, providerCredentials } from "@/db/schema";
import { runRevalidationJob } from "@/lib/jobs/revalidation-job";
import { releaseLease, renewLease, tryAcquireLease } from "@/lib/jobs/lease";
import { userOwner } from "@/lib/owners";
import { cardForm, createTestUser, withEmulator } from "@/test/helpers";
import { parseCredentialForm } from "./form";
import { suggestModels } from "./models";
import { findCredential, upsertCredential } from "./queries";
import { revalidateForOwner } from "./revalidate";
import { saveProviderCredential } from "./save";

const { emulator, host } = withEmulator();

async function saved(key: string, extra: Record<string, string> = {}) {
  const db = await getDb();
  const user = await createTestUser(db);
  const form = cardForm({ provider: "openai", apiHost: host("openai"), model: "gpt-4o", fields: { apiKey: key } });
  for (const [k, v] of Object.entries(extra)) form.set(k, v);
  const parsed = parseCredentialForm(form);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
  const result = await saveProviderCredential(db, {
    owner: userOwner(user.id),
    actorUserId: user.id,
    input: parsed.data,
    definition: parsed.definition,
  });
  return { db, user, result };
}

describe("model parameters and capabilities", () => {
  it("stores Model Parameters as a JSON object and probes tool support after a valid save", async () => {
    const { db, user, result } = await saved("sk-proj-valid-params-xyzxyzxyzxyzxyz", {
      parameters: '{"temperature":0.2,"max_tokens":4096}',
    });
    expect(result).toMatchObject({ saved: true, report: { outcome: "valid", tools: "supported" } });
    const stored = await findCredential(db, userOwner(user.id), "openai");
    expect(stored).toMatchObject({ parameters: { temperature: 0.2, max_tokens: 4096 }, capabilities: { tools: "supported" } });
    const toolCall = emulator()
      .requests()
      .find((r) => r.body.includes('"tools"'));
    expect(toolCall).toBeDefined();
    expect(JSON.parse(toolCall!.body)).toMatchObject({ model: "gpt-4o" });
  });

  it("reports a model that ignores tools as unsupported, without blocking the save", async () => {
    const { result } = await saved("sk-proj-notools-xyzxyzxyzxyzxyzxyz");
    expect(result).toMatchObject({ saved: true, report: { outcome: "valid", tools: "unsupported" } });
  });

  it.each([
    ["[1,2]", /must be a JSON object/],
    ['"text"', /must be a JSON object/],
    ["null", /must be a JSON object/],
    ["{temperature: 0.2}", /not valid JSON/],
  ])("refuses %j as Model Parameters with a clear message", (text, message) => {
    const form = cardForm({ provider: "openai", apiHost: "https://api.openai.com/v1", model: "gpt-4o", fields: { apiKey: "sk-x" } });
    form.set("parameters", text);
    const parsed = parseCredentialForm(form);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.fieldErrors.parameters).toMatch(message);
  });
});

describe("re-validation", () => {
  it("a key that went bad turns Invalid with its detail and last-checked time", async () => {
    const { db, user, result } = await saved("sk-proj-valid-reval-xyzxyzxyzxyzxy");
    if (!result.saved) throw new Error("not saved");
    const owner = userOwner(user.id);
    const first = await revalidateForOwner(db, owner, result.credential.id);
    expect(first.outcome).toBe("valid");
    // The provider revokes the key: stand in for that by storing a key the emulator refuses.
    const stored = await upsertCredential(db, owner, {
      provider: "openai",
      model: "gpt-4o",
      apiHost: host("openai"),
      extra: {},
      parameters: null,
      secrets: { apiKey: "sk-proj-bad-revoked-xyzxyzxyzxyzxyz" },
      secretHints: { apiKey: "sk-proj-…xyz" },
      status: "valid",
      statusCode: "valid",
      statusDetail: null,
      validatedAt: new Date(Date.now() - 86_400_000),
      actorUserId: user.id,
    });
    const report = await revalidateForOwner(db, owner, stored.id);
    expect(report).toMatchObject({ outcome: "invalid_key", title: "Invalid key. Validation failed." });
    const after = (await findCredential(db, owner, "openai"))!;
    expect(after).toMatchObject({ status: "invalid", statusCode: "invalid_key", version: stored.version });
    expect(after.statusDetail).toMatch(/^Invalid key\. Validation failed\./);
    expect(after.statusDetail).not.toContain("sk-proj-bad-revoked-xyzxyzxyzxyzxyz");
    expect(after.validatedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("an unreachable provider marks the credential Unverified, not Invalid", async () => {
    const { db, user, result } = await saved("sk-proj-valid-unreach-xyzxyzxyzxyzx");
    if (!result.saved) throw new Error("not saved");
    await db.update(providerCredentials).set({ apiHost: "http://127.0.0.1:9/v1" }).where(eq(providerCredentials.id, result.credential.id));
    const report = await revalidateForOwner(db, userOwner(user.id), result.credential.id);
    expect(report.outcome).toBe("unreachable");
    expect(await findCredential(db, userOwner(user.id), "openai")).toMatchObject({ status: "unverified", statusCode: "unreachable" });
  });

  it("another owner's credential is not found", async () => {
    const { db, result } = await saved("sk-proj-valid-owner-xyzxyzxyzxyzxy");
    const stranger = await createTestUser(db);
    if (!result.saved) throw new Error("not saved");
    await expect(revalidateForOwner(db, userOwner(stranger.id), result.credential.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("the background pass runs in one instance at a time and spaces nothing when told not to", async () => {
    const { db } = await saved("sk-proj-valid-job-xyzxyzxyzxyzxyzx");
    const first = tryAcquireLease(db, "revalidate", "instance-a", 60_000);
    expect(await first).not.toBeNull();
    expect(await runRevalidationJob(db, { holder: "instance-b", intervalMs: 0, spacingMs: 0, force: true })).toEqual({
      ran: false,
      reason: "busy",
    });
    await releaseLease(db, "revalidate", "instance-a");
    const ran = await runRevalidationJob(db, { holder: "instance-b", intervalMs: 3_600_000, spacingMs: 0, force: true });
    expect(ran).toMatchObject({ ran: true });
    expect(ran.ran && ran.checked).toBeGreaterThanOrEqual(1);
    expect(await runRevalidationJob(db, { holder: "instance-c", intervalMs: 3_600_000, spacingMs: 0 })).toEqual({
      ran: false,
      reason: "not_due",
    });
    const [lease] = await db.select().from(jobLeases).where(eq(jobLeases.name, "revalidate"));
    expect(lease).toMatchObject({ holder: null, lastRunAt: expect.any(Date) });
  });

  it("a lease can be taken over once expired, and renewing a lost lease says so", async () => {
    const db = await getDb();
    expect(await tryAcquireLease(db, "test-job", "a", 1)).not.toBeNull();
    await new Promise((r) => setTimeout(r, 20));
    expect(await tryAcquireLease(db, "test-job", "b", 60_000)).not.toBeNull();
    expect(await renewLease(db, "test-job", "a", 60_000)).toBe(false);
    expect(await tryAcquireLease(db, "test-job", "a", 60_000)).toBeNull();
  });
});

describe("model suggestions", () => {
  it("come from the provider for a stored key, cached; from the catalog otherwise", async () => {
    const { db, user } = await saved("sk-proj-valid-models-xyzxyzxyzxyzxy");
    const none = await createTestUser(db);
    expect(await suggestModels(db, userOwner(none.id), "openai")).toMatchObject({ source: "catalog" });
    emulator().clear();
    const first = await suggestModels(db, userOwner(user.id), "openai");
    expect(first.source).toBe("provider");
    expect(first.models).toContain("gpt-4.1-mini");
    await suggestModels(db, userOwner(user.id), "openai");
    // Saving already listed the models, so neither call needed the provider again.
    expect(
      emulator()
        .requests()
        .filter((r) => r.path.endsWith("/models")),
    ).toHaveLength(0);
  });
});
