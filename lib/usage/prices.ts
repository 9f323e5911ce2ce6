/**
 * Optional prices per million input and output tokens, per model of an org credential, set by
 * owners and admins so usage shows an estimated cost. There is no built-in price table.
 */
import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "@/db/client";
import { credentialPrices, providerCredentials } from "@/db/schema";
import { recordEvent } from "@/lib/audit/events";
import { AppError } from "@/lib/errors";
import { loadOrgAccess } from "@/lib/orgs/access";
import { getProvider } from "@/lib/providers/catalog";
import { canManagePrices } from "./access";

type Actor = { userId: string; ip?: string | null };

/** numeric(14, 6): up to 8 digits before the point, 6 after, never negative. */
const price = z
  .string({ error: "Enter a price." })
  .trim()
  .regex(/^\d{1,8}(\.\d{1,6})?$/, { error: "Enter a non-negative number such as 2.5 (up to 6 decimals)." });

export const priceModelSchema = z
  .string({ error: "Enter a model name." })
  .trim()
  .min(1, { error: "Enter a model name." })
  .max(200, { error: "Model names are at most 200 characters." })
  .regex(/^[^\u0000-\u001f\u007f]+$/, { error: "Model names cannot contain control characters." });

export const priceSchema = z.object({
  credentialId: z.uuid({ error: "Choose a credential." }),
  model: priceModelSchema,
  inputPerMillion: price,
  outputPerMillion: price,
});
export type PriceInput = z.output<typeof priceSchema>;

export type PriceRow = {
  credentialId: string;
  providerName: string;
  model: string;
  inputPerMillion: string;
  outputPerMillion: string;
};

/** The org's prices, by provider then model. */
export async function listPrices(db: Executor, orgId: string): Promise<PriceRow[]> {
  const rows = await db
    .select({
      credentialId: credentialPrices.credentialId,
      provider: providerCredentials.provider,
      model: credentialPrices.model,
      inputPerMillion: credentialPrices.inputPerMillion,
      outputPerMillion: credentialPrices.outputPerMillion,
    })
    .from(credentialPrices)
    .innerJoin(providerCredentials, eq(providerCredentials.id, credentialPrices.credentialId))
    .where(eq(providerCredentials.ownerOrgId, orgId))
    .orderBy(asc(providerCredentials.provider), asc(credentialPrices.model));
  return rows.map(({ provider, ...row }) => ({
    ...row,
    providerName: getProvider(provider)?.name ?? provider,
    inputPerMillion: trimZeros(row.inputPerMillion),
    outputPerMillion: trimZeros(row.outputPerMillion),
  }));
}

/** The org's credentials a price can be set on, with their configured model as a suggestion. */
export async function priceableCredentials(db: Executor, orgId: string) {
  const rows = await db
    .select({ id: providerCredentials.id, provider: providerCredentials.provider, model: providerCredentials.model })
    .from(providerCredentials)
    .where(eq(providerCredentials.ownerOrgId, orgId))
    .orderBy(asc(providerCredentials.provider));
  return rows.map((r) => ({ id: r.id, name: getProvider(r.provider)?.name ?? r.provider, model: r.model }));
}

function trimZeros(value: string): string {
  return value.includes(".") ? value.replace(/\.?0+$/, "") : value;
}

/** The org by slug, the actor an owner or admin, the credential the org's own. */
async function orgCredential(db: Executor, actor: Actor, slug: string, credentialId: string) {
  const access = await loadOrgAccess(db, slug, actor.userId);
  if (!canManagePrices(access.role)) throw new AppError("forbidden", "Only owners and admins can set prices.");
  const [credential] = await db
    .select({ id: providerCredentials.id, provider: providerCredentials.provider })
    .from(providerCredentials)
    .where(and(eq(providerCredentials.id, credentialId), eq(providerCredentials.ownerOrgId, access.org.id)))
    .limit(1);
  if (!credential) throw new AppError("not_found", "That credential does not exist in this organization.");
  return { org: access.org, credential };
}

/** Sets (or replaces) the price of one model of an org credential. */
export async function setPrice(db: Database, actor: Actor, slug: string, input: PriceInput): Promise<void> {
  await db.transaction(async (tx) => {
    const { org, credential } = await orgCredential(tx, actor, slug, input.credentialId);
    const values = { inputPerMillion: input.inputPerMillion, outputPerMillion: input.outputPerMillion, updatedByUserId: actor.userId };
    await tx
      .insert(credentialPrices)
      .values({ credentialId: credential.id, model: input.model, ...values })
      .onConflictDoUpdate({ target: [credentialPrices.credentialId, credentialPrices.model], set: { ...values, updatedAt: new Date() } });
    await recordEvent(tx, {
      kind: "credential.price_set",
      actor,
      scope: { orgId: org.id },
      target: { type: "credential", id: credential.id },
      details: { provider: credential.provider, model: input.model, input: input.inputPerMillion, output: input.outputPerMillion },
    });
  });
}

/** Removes the price of one model of an org credential (nothing to remove is fine). */
export async function removePrice(db: Database, actor: Actor, slug: string, credentialId: string, model: string): Promise<void> {
  await db.transaction(async (tx) => {
    const { org, credential } = await orgCredential(tx, actor, slug, credentialId);
    const removed = await tx
      .delete(credentialPrices)
      .where(and(eq(credentialPrices.credentialId, credential.id), eq(credentialPrices.model, model)))
      .returning({ model: credentialPrices.model });
    if (removed.length === 0) return;
    await recordEvent(tx, {
      kind: "credential.price_removed",
      actor,
      scope: { orgId: org.id },
      target: { type: "credential", id: credential.id },
      details: { provider: credential.provider, model },
    });
  });
}
