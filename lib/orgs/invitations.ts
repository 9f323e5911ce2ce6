/**
 * Invitations: owners and admins invite by email; the link (a single-use token stored as SHA-256)
 * is valid 7 days and accepted by a signed-in user whose email matches (and, when BYOK sends mail,
 * is verified; without mail an invitation link is a bearer link). Emailed when SMTP is set,
 * with a link built from APP_URL only. Each inviter and each organization may send a limited
 * number per day (a rolling 24 hours), so BYOK's mail server cannot be turned into a spam relay.
 */
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "@/db/client";
import { invitations, memberships, organizations, users } from "@/db/schema";
import { recordEvent } from "@/lib/audit/events";
import { verificationRequired } from "@/lib/auth/email-verification";
import { emailSchema } from "@/lib/auth/schemas";
import { configuredOrigin, invitationLink } from "@/lib/app-url";
import { AppError } from "@/lib/errors";
import { mailConfigured, sendMail } from "@/lib/mail";
import { isUuid } from "@/lib/owners";
import { requireOrgPermission } from "./access";
import type { ActorInfo } from "./members";
import { assignableRoles, isOrgRole, type OrgRole } from "./roles";

export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;
/** Invitations per rolling 24 hours: by one person (across organizations), and into one organization. */
export const INVITATION_LIMITS = { perUserPerDay: 50, perOrgPerDay: 200 } as const;
const DAY_MS = 24 * 3_600_000;
const TOKEN = /^byoki_[A-Za-z0-9_-]{43}$/;
/** An invitation link's token, as an action argument: anything malformed is "not valid", like an unknown one. */
export const invitationTokenSchema = z.string({ error: "This invitation link is not valid." }).regex(TOKEN, {
  error: "This invitation link is not valid.",
});
const hashOf = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

export const inviteSchema = z.object({
  email: emailSchema,
  role: z
    .string()
    .refine(isOrgRole, "Choose a role: owner, admin or member.")
    .transform((v) => v as OrgRole),
});

export type PendingInvitation = { id: string; email: string; role: OrgRole; createdAt: Date; expiresAt: Date };

/** Refuses (rate_limited, with the wait) when the inviter or the org used up its invitations for the day. */
async function checkDailyLimits(db: Executor, userId: string, orgId: string): Promise<void> {
  const since = new Date(Date.now() - DAY_MS);
  const [row] = await db
    .select({
      byUser: sql<number>`count(*) filter (where ${invitations.invitedByUserId} = ${userId})::int`,
      byOrg: sql<number>`count(*) filter (where ${invitations.orgId} = ${orgId})::int`,
      // When the oldest invitation of each count leaves the 24-hour window.
      userFrees: sql<string | null>`min(${invitations.createdAt}) filter (where ${invitations.invitedByUserId} = ${userId})`,
      orgFrees: sql<string | null>`min(${invitations.createdAt}) filter (where ${invitations.orgId} = ${orgId})`,
    })
    .from(invitations)
    .where(and(gt(invitations.createdAt, since), or(eq(invitations.invitedByUserId, userId), eq(invitations.orgId, orgId))));
  const over = (count: number, oldest: string | null, limit: number, who: string) => {
    if (count < limit) return;
    const wait = oldest ? Math.max(60, Math.ceil((new Date(oldest).getTime() + DAY_MS - Date.now()) / 1000)) : 3600;
    const hours = Math.max(1, Math.round(wait / 3600));
    throw new AppError(
      "rate_limited",
      `${who} sent ${limit} invitations in the last 24 hours, the daily limit. Try again in about ${hours} hour${hours === 1 ? "" : "s"}.`,
      {
        retryAfter: wait,
      },
    );
  };
  over(row?.byUser ?? 0, row?.userFrees ?? null, INVITATION_LIMITS.perUserPerDay, "You have");
  over(row?.byOrg ?? 0, row?.orgFrees ?? null, INVITATION_LIMITS.perOrgPerDay, "This organization has");
}

/**
 * Creates an invitation and, with SMTP configured, emails it (link under APP_URL). Returns the
 * link to show the inviter, under `pageOrigin`.
 */
export async function createInvitation(
  db: Database,
  actor: ActorInfo,
  slug: string,
  input: z.infer<typeof inviteSchema>,
  pageOrigin: string,
): Promise<{ link: string; emailed: boolean }> {
  const access = await requireOrgPermission(db, slug, actor.userId, "invite");
  input = { ...input, email: input.email.trim().toLowerCase() };
  if (!assignableRoles(access.role).includes(input.role)) throw new AppError("forbidden", "Only owners can invite another owner.");
  const [already] = await db
    .select({ id: users.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, access.org.id), eq(sql`lower(${users.email})`, input.email)))
    .limit(1);
  if (already) throw new AppError("conflict", "That person is already a member.", { fieldErrors: { email: "Already a member." } });
  await checkDailyLimits(db, actor.userId, access.org.id);

  const token = `byoki_${randomBytes(32).toString("base64url")}`;
  await db.transaction(async (tx) => {
    // One live invitation per email: a new one replaces the old link.
    await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(invitations.orgId, access.org.id),
          eq(invitations.email, input.email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      );
    await tx.insert(invitations).values({
      orgId: access.org.id,
      email: input.email,
      role: input.role,
      tokenHash: hashOf(token),
      invitedByUserId: actor.userId,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    });
  });
  // Never a request-derived origin in a mail: APP_URL or no mail at all.
  const mailOrigin = configuredOrigin();
  const emailed =
    mailConfigured() && mailOrigin !== undefined
      ? await sendMail({
          to: input.email,
          subject: `You're invited to ${access.org.name} on BYOK`,
          text: `You have been invited to join ${access.org.name} on BYOK as ${input.role}.\n\nAccept: ${invitationLink(mailOrigin, token)}\n\nThe link works once and expires in 7 days.`,
        })
      : false;
  const link = invitationLink(pageOrigin, token);
  await recordEvent(db, {
    kind: "member.invited",
    actor,
    scope: { orgId: access.org.id },
    details: { email: input.email, role: input.role, emailed },
  });
  return { link, emailed };
}

export async function listPendingInvitations(db: Executor, orgId: string): Promise<PendingInvitation[]> {
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .where(
      and(
        eq(invitations.orgId, orgId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(invitations.createdAt));
}

export async function revokeInvitation(db: Database, actor: ActorInfo, slug: string, invitationId: string): Promise<void> {
  const access = await requireOrgPermission(db, slug, actor.userId, "invite");
  if (!isUuid(invitationId)) throw new AppError("not_found", "That invitation does not exist.");
  const rows = await db
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(invitations.id, invitationId),
        eq(invitations.orgId, access.org.id),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .returning({ email: invitations.email });
  if (rows.length === 0) throw new AppError("not_found", "That invitation does not exist or was already used.");
  await recordEvent(db, { kind: "invitation.revoked", actor, scope: { orgId: access.org.id }, details: { email: rows[0]!.email } });
}

export type InvitationView = {
  orgName: string;
  orgSlug: string;
  email: string;
  role: OrgRole;
  state: "pending" | "accepted" | "expired" | "revoked";
};

/** What the invitation page shows. Unknown or malformed tokens are "not found". */
export async function getInvitation(db: Executor, token: string): Promise<InvitationView> {
  if (!TOKEN.test(token)) throw new AppError("not_found", "This invitation link is not valid.");
  const [row] = await db
    .select({
      orgName: organizations.name,
      orgSlug: organizations.slug,
      email: invitations.email,
      role: invitations.role,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .where(eq(invitations.tokenHash, hashOf(token)))
    .limit(1);
  if (!row) throw new AppError("not_found", "This invitation link is not valid.");
  const state = row.acceptedAt ? "accepted" : row.revokedAt ? "revoked" : row.expiresAt.getTime() <= Date.now() ? "expired" : "pending";
  return { orgName: row.orgName, orgSlug: row.orgSlug, email: row.email, role: row.role, state };
}

/** Accepts for a signed-in user whose email matches; single use, even when two tabs race. */
export async function acceptInvitation(db: Database, actor: ActorInfo & { email: string }, token: string): Promise<{ slug: string }> {
  const view = await getInvitation(db, token);
  if (view.state !== "pending")
    throw new AppError("conflict", `This invitation was already ${view.state === "accepted" ? "used" : view.state}.`);
  if (view.email !== actor.email.trim().toLowerCase()) {
    throw new AppError("forbidden", `This invitation is for ${view.email}. Sign in with that email to accept it.`);
  }
  // With mail, invitations (possibly as admin or owner) go only to people who proved the address.
  if (verificationRequired()) {
    const [me] = await db.select({ verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, actor.userId)).limit(1);
    if (!me?.verifiedAt) {
      throw new AppError(
        "forbidden",
        `Verify your email address before accepting: open the link we sent to ${view.email}, or resend it from this page.`,
        { details: { reason: "email_unverified" } },
      );
    }
  }
  const orgId = await db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(invitations)
      .set({ acceptedAt: new Date(), acceptedByUserId: actor.userId })
      .where(
        and(
          eq(invitations.tokenHash, hashOf(token)),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, new Date()),
        ),
      )
      .returning({ orgId: invitations.orgId, role: invitations.role });
    if (!claimed) throw new AppError("conflict", "This invitation was already used.");
    await tx.insert(memberships).values({ orgId: claimed.orgId, userId: actor.userId, role: claimed.role }).onConflictDoNothing();
    return claimed.orgId;
  });
  await recordEvent(db, { kind: "member.joined", actor, scope: { orgId, userId: actor.userId }, details: { role: view.role } });
  return { slug: view.orgSlug };
}
