"use server";

/**
 * Organization actions: create, invite, members (role, remove, leave, transfer), invitations.
 * Each calls one lib/orgs function, which checks the role.
 */
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { ActionState } from "@/lib/actions";
import { pageOrigin } from "@/lib/app-url";
import { acceptInvitation, createInvitation, invitationTokenSchema, inviteSchema, revokeInvitation } from "@/lib/orgs/invitations";
import { changeMemberRole, leaveOrganization, removeMember, transferOwnership, type MemberChange } from "@/lib/orgs/members";
import { createOrganization, createOrgSchema } from "@/lib/orgs/organizations";
import { dismissNotice } from "@/lib/orgs/revocation";
import { form, id, previousState, slug, userAction } from "@/lib/safe-action";

const roleSchema = z.enum(["owner", "admin", "member"], { error: "Choose a role: owner, admin or member." });

/** Creates the organization and lands on its models page. */
export const createOrgAction = userAction(
  [previousState, form(createOrgSchema, ["name", "slug"])],
  async ({ db, actor }, _prev, input): Promise<ActionState> => {
    const { slug } = await createOrganization(db, actor, input);
    revalidatePath("/", "layout");
    redirect(`/orgs/${slug}/models`);
  },
);

export type InviteState = ActionState<{ link: string; emailed: boolean; email: string }>;

export const inviteAction = userAction(
  [slug, previousState, form(inviteSchema, ["email", "role"])],
  async ({ db, actor }, slug, _prev, input): Promise<InviteState> => {
    const { link, emailed } = await createInvitation(db, actor, slug, input, pageOrigin(await headers()));
    revalidatePath(`/orgs/${slug}/members`);
    return { ok: true, data: { link, emailed, email: input.email } };
  },
);

/** Role changes and removals report how many org tokens the person had created and lost. */
export type MemberChangeState = ActionState<MemberChange>;

export const changeRoleAction = userAction(
  [slug, id, roleSchema],
  async ({ db, actor }, slug, userId, role): Promise<MemberChangeState> => {
    const change = await changeMemberRole(db, actor, slug, userId, role);
    revalidatePath(`/orgs/${slug}/members`);
    if (change.tokensRevoked > 0) revalidatePath(`/orgs/${slug}/tokens`);
    return { ok: true, data: change };
  },
);

export const removeMemberAction = userAction([slug, id], async ({ db, actor }, slug, userId): Promise<MemberChangeState> => {
  const change = await removeMember(db, actor, slug, userId);
  revalidatePath(`/orgs/${slug}/members`);
  if (change.tokensRevoked > 0) revalidatePath(`/orgs/${slug}/tokens`);
  return { ok: true, data: change };
});

export const transferOwnershipAction = userAction([slug, id], async ({ db, actor }, slug, userId): Promise<ActionState> => {
  await transferOwnership(db, actor, slug, userId);
  revalidatePath(`/orgs/${slug}/members`);
  return { ok: true };
});

export const revokeInvitationAction = userAction([slug, id], async ({ db, actor }, slug, invitationId): Promise<ActionState> => {
  await revokeInvitation(db, actor, slug, invitationId);
  revalidatePath(`/orgs/${slug}/members`);
  return { ok: true };
});

/** Leaves, then lands on the personal dashboard. */
export const leaveOrgAction = userAction([slug], async ({ db, actor }, slug): Promise<ActionState> => {
  await leaveOrganization(db, actor, slug);
  revalidatePath("/", "layout");
  redirect("/agent/models");
});

/** Joins with an invitation link's token and lands on the organization's models page. */
export const acceptInvitationAction = userAction([invitationTokenSchema], async ({ db, actor }, token): Promise<ActionState> => {
  const { slug } = await acceptInvitation(db, actor, token);
  revalidatePath("/", "layout");
  redirect(`/orgs/${slug}/models`);
});

export const dismissNoticeAction = userAction([id], async ({ db, actor }, noticeId): Promise<ActionState> => {
  await dismissNotice(db, actor.userId, noticeId);
  revalidatePath("/agent/models");
  return { ok: true };
});
