"use server";

/**
 * Model profile actions, for the user's own profiles (scope null) or an organization's (its slug;
 * owners and admins, checked in lib/profiles/service.ts). Each calls one service function.
 */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ActionState } from "@/lib/actions";
import type { CredentialScope } from "@/lib/credentials/service";
import { profileNameSchema } from "@/lib/profiles/name";
import {
  addProfileEntry,
  createProfile,
  deleteProfile,
  entryModelSchema,
  moveProfileEntry,
  removeProfileEntry,
  renameProfile,
} from "@/lib/profiles/service";
import { form, id, previousState, scopeSlug, userAction } from "@/lib/safe-action";

const scopeOf = (slug: string | null): CredentialScope => (slug ? { kind: "org", slug } : { kind: "user" });
const refresh = (slug: string | null) => revalidatePath(slug ? `/orgs/${slug}/profiles` : "/agent/profiles");

const nameForm = z.object({ name: profileNameSchema });
const entryForm = z.object({ credentialId: z.uuid({ error: "Choose a provider." }), model: entryModelSchema });
const direction = z.enum(["up", "down"]);

export const createProfileAction = userAction(
  [scopeSlug, previousState, form(nameForm, ["name"])],
  async ({ db, actor }, slug, _prev, input): Promise<ActionState<{ name: string }>> => {
    const created = await createProfile(db, actor, scopeOf(slug), input.name);
    refresh(slug);
    return { ok: true, data: { name: created.name } };
  },
);

export const renameProfileAction = userAction(
  [scopeSlug, id, previousState, form(nameForm, ["name"])],
  async ({ db, actor }, slug, profileId, _prev, input): Promise<ActionState<{ name: string }>> => {
    await renameProfile(db, actor, scopeOf(slug), profileId, input.name);
    refresh(slug);
    return { ok: true, data: { name: input.name } };
  },
);

export const deleteProfileAction = userAction([scopeSlug, id], async ({ db, actor }, slug, profileId): Promise<ActionState> => {
  await deleteProfile(db, actor, scopeOf(slug), profileId);
  refresh(slug);
  return { ok: true };
});

export const addProfileEntryAction = userAction(
  [scopeSlug, id, previousState, form(entryForm, ["credentialId", "model"])],
  async ({ db, actor }, slug, profileId, _prev, input): Promise<ActionState<{ model: string }>> => {
    await addProfileEntry(db, actor, scopeOf(slug), profileId, input);
    refresh(slug);
    return { ok: true, data: { model: input.model } };
  },
);

export const moveProfileEntryAction = userAction(
  [scopeSlug, id, id, direction],
  async ({ db, actor }, slug, profileId, entryId, to): Promise<ActionState> => {
    await moveProfileEntry(db, actor, scopeOf(slug), profileId, entryId, to);
    refresh(slug);
    return { ok: true };
  },
);

export const removeProfileEntryAction = userAction(
  [scopeSlug, id, id],
  async ({ db, actor }, slug, profileId, entryId): Promise<ActionState> => {
    await removeProfileEntry(db, actor, scopeOf(slug), profileId, entryId);
    refresh(slug);
    return { ok: true };
  },
);
