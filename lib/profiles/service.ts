/**
 * Model profiles of a scope — the signed-in user's own, or an organization's — with the
 * authorization and the activity entry each change needs. Server actions call these and nothing
 * else. Every change to a profile's entries locks the profile row first, so concurrent edits
 * (two tabs reordering) serialize and positions stay 0…n-1.
 *
 * What may go in: a personal profile may hold any credential its owner may use (their own, and
 * org credentials shared with them); an org profile only the org's own credentials. Resolution
 * checks access again on every request (lib/profiles/resolve.ts), so a lost share skips an entry.
 */
import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "@/db/client";
import { modelProfileEntries, modelProfiles, organizations, providerCredentials } from "@/db/schema";
import { recordEvent } from "@/lib/audit/events";
import { PARAMETER_LIMITS, parameterShapeProblem } from "@/lib/credentials/parameters";
import type { CredentialScope, ScopeActor } from "@/lib/credentials/service";
import { isUniqueViolation } from "@/lib/db-errors";
import { AppError } from "@/lib/errors";
import { loadOrgAccess, requireOrgPermission } from "@/lib/orgs/access";
import { can } from "@/lib/orgs/roles";
import { usableBy } from "@/lib/orgs/revocation";
import { isUuid, ownedBy, ownerColumns, orgOwner, userOwner, type Owner } from "@/lib/owners";
import { getProvider } from "@/lib/providers/catalog";
import { MAX_PROFILE_ENTRIES, profileNameSchema } from "./name";

export type EntryView = {
  id: string;
  position: number;
  credentialId: string;
  provider: string;
  providerName: string;
  /** Whose credential: "Personal" for the viewer's own, else the org's name. */
  ownerName: string;
  model: string;
  parameters: Record<string, unknown> | null;
  /** The credential's status: valid | invalid | unverified. */
  status: string;
  /** Why an agent of the viewer skips this entry, or null when it would be used. */
  skipped: "invalid" | "not_shared" | null;
};

export type ProfileView = { id: string; name: string; entries: EntryView[]; updatedAt: Date };

/** A credential that may be added to a profile of the scope. */
export type CredentialOption = {
  id: string;
  provider: string;
  providerName: string;
  ownerName: string;
  model: string;
  status: string;
};

export type ProfilesPage = { canEdit: boolean; profiles: ProfileView[]; options: CredentialOption[] };

const notFound = () => new AppError("not_found", "That profile no longer exists.");

/** The owner a scope's profiles belong to; editing an org's needs manage_credentials (owners and admins). */
async function ownerFor(
  db: Executor,
  actor: ScopeActor,
  scope: CredentialScope,
  edit: boolean,
): Promise<{ owner: Owner; canEdit: boolean }> {
  if (scope.kind === "user") return { owner: userOwner(actor.userId), canEdit: true };
  if (edit)
    return { owner: orgOwner((await requireOrgPermission(db, scope.slug, actor.userId, "manage_credentials")).org.id), canEdit: true };
  const access = await loadOrgAccess(db, scope.slug, actor.userId);
  return { owner: orgOwner(access.org.id), canEdit: can(access.role, "manage_credentials") };
}

const eventScope = (actor: ScopeActor, owner: Owner) => (owner.type === "org" ? { orgId: owner.id } : { userId: actor.userId });

/** Credentials `owner`'s profiles may hold: a user's usable ones, or an org's own. */
function optionFilter(owner: Owner) {
  return owner.type === "user" ? usableBy(owner.id) : eq(providerCredentials.ownerOrgId, owner.id);
}

export async function loadProfilesPage(db: Database, actor: ScopeActor, scope: CredentialScope): Promise<ProfilesPage> {
  const { owner, canEdit } = await ownerFor(db, actor, scope, false);
  const profiles = await db
    .select({ id: modelProfiles.id, name: modelProfiles.name, updatedAt: modelProfiles.updatedAt })
    .from(modelProfiles)
    .where(ownedBy(modelProfiles, owner))
    .orderBy(asc(modelProfiles.name));
  const ids = profiles.map((p) => p.id);
  const entries = ids.length
    ? await db
        .select({
          id: modelProfileEntries.id,
          profileId: modelProfileEntries.profileId,
          position: modelProfileEntries.position,
          credentialId: modelProfileEntries.credentialId,
          model: modelProfileEntries.model,
          parameters: modelProfileEntries.parameters,
          provider: providerCredentials.provider,
          status: providerCredentials.status,
          ownerUserId: providerCredentials.ownerUserId,
          orgName: organizations.name,
          // Whether the viewer's own agents may use it (a member may read an org profile holding a credential not shared with them).
          usable: sql<boolean>`${usableBy(actor.userId)}`,
        })
        .from(modelProfileEntries)
        .innerJoin(providerCredentials, eq(providerCredentials.id, modelProfileEntries.credentialId))
        .leftJoin(organizations, eq(organizations.id, providerCredentials.ownerOrgId))
        .where(inArray(modelProfileEntries.profileId, ids))
        .orderBy(asc(modelProfileEntries.position))
    : [];
  const options = await db
    .select({
      id: providerCredentials.id,
      provider: providerCredentials.provider,
      model: providerCredentials.model,
      status: providerCredentials.status,
      ownerUserId: providerCredentials.ownerUserId,
      orgName: organizations.name,
    })
    .from(providerCredentials)
    .leftJoin(organizations, eq(organizations.id, providerCredentials.ownerOrgId))
    .where(optionFilter(owner))
    .orderBy(sql`${providerCredentials.ownerUserId} is null`, asc(organizations.name), asc(providerCredentials.provider));

  const ownerName = (row: { ownerUserId: string | null; orgName: string | null }) => (row.ownerUserId ? "Personal" : (row.orgName ?? ""));
  const providerName = (id: string) => getProvider(id)?.name ?? id;
  return {
    canEdit,
    profiles: profiles.map((profile) => ({
      ...profile,
      entries: entries
        .filter((entry) => entry.profileId === profile.id)
        .map((entry) => ({
          id: entry.id,
          position: entry.position,
          credentialId: entry.credentialId,
          provider: entry.provider,
          providerName: providerName(entry.provider),
          ownerName: ownerName(entry),
          model: entry.model,
          parameters: entry.parameters,
          status: entry.status,
          skipped: entry.status === "invalid" ? "invalid" : entry.usable ? null : "not_shared",
        })),
    })),
    options: options.map((option) => ({
      id: option.id,
      provider: option.provider,
      providerName: providerName(option.provider),
      ownerName: ownerName(option),
      model: option.model,
      status: option.status,
    })),
  };
}

export async function createProfile(
  db: Database,
  actor: ScopeActor,
  scope: CredentialScope,
  rawName: string,
): Promise<{ id: string; name: string }> {
  const name = parseName(rawName);
  const { owner } = await ownerFor(db, actor, scope, true);
  try {
    const [created] = await db
      .insert(modelProfiles)
      .values({ ...ownerColumns(owner), name, createdByUserId: actor.userId })
      .returning({ id: modelProfiles.id, name: modelProfiles.name });
    await recordEvent(db, {
      kind: "profile.created",
      actor,
      scope: eventScope(actor, owner),
      target: { type: "profile", id: created!.id },
      details: { name },
    });
    return created!;
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(name);
    throw error;
  }
}

export async function renameProfile(
  db: Database,
  actor: ScopeActor,
  scope: CredentialScope,
  profileId: string,
  rawName: string,
): Promise<void> {
  const name = parseName(rawName);
  const { owner } = await ownerFor(db, actor, scope, true);
  try {
    const [before] = await db.select({ name: modelProfiles.name }).from(modelProfiles).where(profileWhere(owner, profileId));
    if (!before) throw notFound();
    if (before.name === name) return;
    const renamed = await db
      .update(modelProfiles)
      .set({ name, updatedAt: new Date() })
      .where(profileWhere(owner, profileId))
      .returning({ id: modelProfiles.id });
    if (renamed.length === 0) throw notFound();
    await recordEvent(db, {
      kind: "profile.updated",
      actor,
      scope: eventScope(actor, owner),
      target: { type: "profile", id: profileId },
      details: { name, change: "renamed", from: before.name },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(name);
    throw error;
  }
}

export async function deleteProfile(db: Database, actor: ScopeActor, scope: CredentialScope, profileId: string): Promise<void> {
  const { owner } = await ownerFor(db, actor, scope, true);
  const deleted = await db.delete(modelProfiles).where(profileWhere(owner, profileId)).returning({ name: modelProfiles.name });
  if (deleted.length === 0) throw notFound();
  await recordEvent(db, {
    kind: "profile.deleted",
    actor,
    scope: eventScope(actor, owner),
    target: { type: "profile", id: profileId },
    details: { name: deleted[0]!.name },
  });
}

/** Model names as providers spell them: no control characters, no surrounding space. */
export const entryModelSchema = z
  .string()
  .trim()
  .min(1, "Choose or type a model.")
  .max(200, "Model names are at most 200 characters.")
  .regex(/^[^\u0000-\u001f\u007f]+$/, "Model names cannot contain control characters.");

export type NewEntry = { credentialId: string; model: string; parameters?: Record<string, unknown> | null };

export async function addProfileEntry(
  db: Database,
  actor: ScopeActor,
  scope: CredentialScope,
  profileId: string,
  input: NewEntry,
): Promise<{ id: string }> {
  const model = entryModelSchema.safeParse(input.model);
  if (!model.success)
    throw new AppError("invalid_request", model.error.issues[0]!.message, { fieldErrors: { model: model.error.issues[0]!.message } });
  if (!isUuid(input.credentialId))
    throw new AppError("invalid_request", "Choose a provider.", { fieldErrors: { credentialId: "Choose a provider." } });
  const parametersProblem = input.parameters == null ? null : parametersProblemOf(input.parameters);
  if (parametersProblem) throw new AppError("invalid_request", parametersProblem, { fieldErrors: { parameters: parametersProblem } });
  const { owner } = await ownerFor(db, actor, scope, true);
  const added = await db.transaction(async (tx) => {
    const profile = await lockProfile(tx, owner, profileId);
    const [credential] = await tx
      .select({ id: providerCredentials.id, provider: providerCredentials.provider })
      .from(providerCredentials)
      .where(and(eq(providerCredentials.id, input.credentialId), optionFilter(owner)));
    if (!credential) {
      const message = owner.type === "org" ? "Choose one of this organization's providers." : "Choose a provider you may use.";
      throw new AppError("invalid_request", message, { fieldErrors: { credentialId: message } });
    }
    const existing = await orderedEntries(tx, profile.id);
    const count = existing.length;
    if (count >= MAX_PROFILE_ENTRIES) {
      throw new AppError("conflict", `A profile holds at most ${MAX_PROFILE_ENTRIES} models. Remove one first.`);
    }
    // A removed credential takes its entries with it (FK cascade) and leaves a gap: close it, so
    // the new entry goes last and never shares a position.
    await renumber(tx, existing);
    const [entry] = await tx
      .insert(modelProfileEntries)
      .values({
        profileId: profile.id,
        position: count,
        credentialId: credential.id,
        model: model.data,
        parameters: input.parameters ?? null,
      })
      .returning({ id: modelProfileEntries.id });
    await touch(tx, profile.id);
    return { id: entry!.id, profile, provider: credential.provider };
  });
  await recordEvent(db, {
    kind: "profile.updated",
    actor,
    scope: eventScope(actor, owner),
    target: { type: "profile", id: profileId },
    details: { name: added.profile.name, change: "entry_added", provider: added.provider, model: model.data },
  });
  return { id: added.id };
}

export async function moveProfileEntry(
  db: Database,
  actor: ScopeActor,
  scope: CredentialScope,
  profileId: string,
  entryId: string,
  direction: "up" | "down",
): Promise<void> {
  const { owner } = await ownerFor(db, actor, scope, true);
  const moved = await db.transaction(async (tx) => {
    const profile = await lockProfile(tx, owner, profileId);
    const entries = await orderedEntries(tx, profile.id);
    const from = entries.findIndex((entry) => entry.id === entryId);
    if (from < 0) throw new AppError("not_found", "That model is no longer in the profile.");
    const to = direction === "up" ? from - 1 : from + 1;
    if (to < 0 || to >= entries.length) return null; // Already first (or last): nothing to do.
    [entries[from], entries[to]] = [entries[to]!, entries[from]!];
    await renumber(tx, entries);
    await touch(tx, profile.id);
    return { profile, entry: entries[to]! };
  });
  if (!moved) return;
  await recordEvent(db, {
    kind: "profile.updated",
    actor,
    scope: eventScope(actor, owner),
    target: { type: "profile", id: profileId },
    details: { name: moved.profile.name, change: direction === "up" ? "entry_moved_up" : "entry_moved_down", model: moved.entry.model },
  });
}

export async function removeProfileEntry(
  db: Database,
  actor: ScopeActor,
  scope: CredentialScope,
  profileId: string,
  entryId: string,
): Promise<void> {
  const { owner } = await ownerFor(db, actor, scope, true);
  const removed = await db.transaction(async (tx) => {
    const profile = await lockProfile(tx, owner, profileId);
    const entries = await orderedEntries(tx, profile.id);
    const entry = entries.find((e) => e.id === entryId);
    if (!entry) throw new AppError("not_found", "That model is no longer in the profile.");
    await tx.delete(modelProfileEntries).where(eq(modelProfileEntries.id, entryId));
    await renumber(
      tx,
      entries.filter((e) => e.id !== entryId),
    );
    await touch(tx, profile.id);
    return { profile, entry };
  });
  await recordEvent(db, {
    kind: "profile.updated",
    actor,
    scope: eventScope(actor, owner),
    target: { type: "profile", id: profileId },
    details: { name: removed.profile.name, change: "entry_removed", model: removed.entry.model },
  });
}

/** Overrides obey the limits of a card's Model Parameters: a JSON object, small and shallow. */
function parametersProblemOf(value: unknown): string | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "Model parameters must be a JSON object.";
  if (JSON.stringify(value).length > PARAMETER_LIMITS.bytes) return `Model parameters may be at most ${PARAMETER_LIMITS.bytes / 1024} KB.`;
  return parameterShapeProblem(value);
}

function parseName(raw: string): string {
  const parsed = profileNameSchema.safeParse(raw);
  if (!parsed.success) {
    const message = parsed.error.issues[0]!.message;
    throw new AppError("invalid_request", message, { fieldErrors: { name: message } });
  }
  return parsed.data;
}

const duplicateName = (name: string) =>
  new AppError("conflict", `A profile named “${name}” already exists here.`, { fieldErrors: { name: `“${name}” is taken here.` } });

function profileWhere(owner: Owner, profileId: string) {
  if (!isUuid(profileId)) return sql`false`;
  return and(eq(modelProfiles.id, profileId), ownedBy(modelProfiles, owner));
}

async function lockProfile(tx: Executor, owner: Owner, profileId: string) {
  const [profile] = await tx
    .select({ id: modelProfiles.id, name: modelProfiles.name })
    .from(modelProfiles)
    .where(profileWhere(owner, profileId))
    .for("update");
  if (!profile) throw notFound();
  return profile;
}

function orderedEntries(tx: Executor, profileId: string) {
  return tx
    .select({ id: modelProfileEntries.id, model: modelProfileEntries.model })
    .from(modelProfileEntries)
    .where(eq(modelProfileEntries.profileId, profileId))
    .orderBy(asc(modelProfileEntries.position), asc(modelProfileEntries.createdAt));
}

/** Positions 0…n-1 in the given order, in one statement. */
async function renumber(tx: Executor, entries: { id: string }[]) {
  if (entries.length === 0) return;
  const rows = JSON.stringify(entries.map((entry, position) => ({ id: entry.id, position })));
  await tx.execute(sql`
    update ${modelProfileEntries} e set position = v.position
    from jsonb_to_recordset(${rows}::jsonb) as v(id uuid, position int)
    where e.id = v.id and e.position <> v.position`);
}

const touch = (tx: Executor, profileId: string) =>
  tx.update(modelProfiles).set({ updatedAt: new Date() }).where(eq(modelProfiles.id, profileId));
