"use server";

/**
 * Organization actions: create, invite, members (role, remove, leave, transfer), invitations.
 * Each loads the actor and calls one lib/orgs function, which checks the role.
 */
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { type ActionState, failure, parseForm } from "@/lib/actions";
import { requireActor } from "@/lib/auth/session";
import { pageOrigin } from "@/lib/app-url";
import { AppError } from "@/lib/errors";
import { acceptInvitation, createInvitation, inviteSchema, revokeInvitation } from "@/lib/orgs/invitations";
import { changeMemberRole, leaveOrganization, removeMember, transferOwnership, type MemberChange } from "@/lib/orgs/members";
import { createOrganization, createOrgSchema } from "@/lib/orgs/organizations";
import { dismissNotice } from "@/lib/orgs/revocation";
import { isOrgRole } from "@/lib/orgs/roles";

export async function createOrgAction(_prev: ActionState | null, formData: FormData): Promise<ActionState> {
  let slug: string;
  try {
    const actor = await requireActor();
    const parsed = parseForm(createOrgSchema, formData, ["name", "slug"]);
    if (!parsed.ok) return parsed.state;
    slug = (await createOrganization(await getDb(), actor, parsed.data)).slug;
  } catch (error) {
    return failure(error, { name: String(formData.get("name") ?? ""), slug: String(formData.get("slug") ?? "") });
  }
  revalidatePath("/", "layout");
  redirect(`/orgs/${slug}/models`);
}

export type InviteState = ActionState<{ link: string; emailed: boolean; email: string }>;

export async function inviteAction(slug: string, _prev: InviteState | null, formData: FormData): Promise<InviteState> {
  try {
    const actor = await requireActor();
    const parsed = parseForm(inviteSchema, formData, ["email", "role"]);
    if (!parsed.ok) return parsed.state;
    const { link, emailed } = await createInvitation(await getDb(), actor, slug, parsed.data, pageOrigin(await headers()));
    revalidatePath(`/orgs/${slug}/members`);
    return { ok: true, data: { link, emailed, email: parsed.data.email } };
  } catch (error) {
    return failure(error, { email: String(formData.get("email") ?? ""), role: String(formData.get("role") ?? "") });
  }
}

/** Role changes and removals report how many org tokens the person had created and lost. */
export type MemberChangeState = ActionState<MemberChange>;

export async function changeRoleAction(slug: string, userId: string, role: string): Promise<MemberChangeState> {
  try {
    if (!isOrgRole(role)) throw new AppError("invalid_request", "Choose a role: owner, admin or member.");
    const change = await changeMemberRole(await getDb(), await requireActor(), String(slug), String(userId), role);
    revalidatePath(`/orgs/${slug}/members`);
    if (change.tokensRevoked > 0) revalidatePath(`/orgs/${slug}/tokens`);
    return { ok: true, data: change };
  } catch (error) {
    return failure(error);
  }
}

export async function removeMemberAction(slug: string, userId: string): Promise<MemberChangeState> {
  try {
    const change = await removeMember(await getDb(), await requireActor(), String(slug), String(userId));
    revalidatePath(`/orgs/${slug}/members`);
    if (change.tokensRevoked > 0) revalidatePath(`/orgs/${slug}/tokens`);
    return { ok: true, data: change };
  } catch (error) {
    return failure(error);
  }
}

export async function transferOwnershipAction(slug: string, userId: string): Promise<ActionState> {
  try {
    await transferOwnership(await getDb(), await requireActor(), String(slug), String(userId));
    revalidatePath(`/orgs/${slug}/members`);
    return { ok: true };
  } catch (error) {
    return failure(error);
  }
}

export async function revokeInvitationAction(slug: string, invitationId: string): Promise<ActionState> {
  try {
    await revokeInvitation(await getDb(), await requireActor(), String(slug), String(invitationId));
    revalidatePath(`/orgs/${slug}/members`);
    return { ok: true };
  } catch (error) {
    return failure(error);
  }
}

/** Leaves, then lands on the personal dashboard. */
export async function leaveOrgAction(slug: string): Promise<ActionState> {
  try {
    await leaveOrganization(await getDb(), await requireActor(), String(slug));
  } catch (error) {
    return failure(error);
  }
  revalidatePath("/", "layout");
  redirect("/agent/models");
}

export async function acceptInvitationAction(token: string): Promise<ActionState> {
  let slug: string;
  try {
    const actor = await requireActor();
    slug = (await acceptInvitation(await getDb(), actor, String(token))).slug;
  } catch (error) {
    return failure(error);
  }
  revalidatePath("/", "layout");
  redirect(`/orgs/${slug}/models`);
}

export async function dismissNoticeAction(noticeId: string): Promise<ActionState> {
  try {
    const actor = await requireActor();
    await dismissNotice(await getDb(), actor.userId, String(noticeId));
    revalidatePath("/agent/models");
    return { ok: true };
  } catch (error) {
    return failure(error);
  }
}
