import type { Metadata } from "next";
import { InvitationList } from "@/components/orgs/invitation-list";
import { InviteForm } from "@/components/orgs/invite-form";
import { LeaveOrgButton } from "@/components/orgs/leave-org-button";
import { MemberTable } from "@/components/orgs/member-table";
import { OrgPageHeader } from "@/components/orgs/org-page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { mailConfigured } from "@/lib/mail";
import { listPendingInvitations } from "@/lib/orgs/invitations";
import { listMembers } from "@/lib/orgs/members";
import { assignableRoles, can } from "@/lib/orgs/roles";
import { loadOrgPage, orgPageTitle, type OrgPageParams } from "../load-org";

export async function generateMetadata(props: OrgPageParams): Promise<Metadata> {
  return { title: await orgPageTitle(props, "Members") };
}

/** Members, invitations (owners and admins) and "Leave organization" (everyone). */
export default async function OrgMembersPage({ params }: OrgPageParams) {
  const { db, org, role, userId } = await loadOrgPage((await params).slug);
  const invite = can(role, "invite");
  const [members, invitations] = await Promise.all([
    listMembers(db, org.id),
    invite ? listPendingInvitations(db, org.id) : Promise.resolve([]),
  ]);
  const viewer = { userId, role, orgName: org.name };
  // Token counts matter to those who remove or demote people; everyone sees their own when leaving.
  const manager = can(role, "manage_members");
  const ownTokens = members.find((m) => m.userId === userId)?.orgTokens ?? 0;

  return (
    <>
      <OrgPageHeader
        orgName={org.name}
        role={role}
        title="Members"
        description={
          invite
            ? "Invite people by email and choose what they may do: members use shared providers, admins manage them, owners also manage owners."
            : "The people in this organization. Owners and admins manage members and invitations."
        }
      />
      <div className="grid gap-6">
        {invite ? (
          <Card>
            <CardHeader>
              <CardTitle>Invite people</CardTitle>
              <CardDescription>
                {mailConfigured()
                  ? "We email a single-use link, valid 7 days, and show it here too."
                  : "You get a single-use link, valid 7 days, to send yourself (email is not set up on this server)."}
              </CardDescription>
            </CardHeader>
            <CardContent className="grid gap-5">
              <InviteForm slug={org.slug} roles={assignableRoles(role)} mailEnabled={mailConfigured()} />
              <section aria-labelledby="pending-title" className="grid gap-2">
                <h3 id="pending-title" className="text-sm font-medium">
                  Pending invitations
                </h3>
                <InvitationList
                  slug={org.slug}
                  invitations={invitations.map((i) => ({ id: i.id, email: i.email, role: i.role, expiresAt: i.expiresAt.toISOString() }))}
                />
              </section>
            </CardContent>
          </Card>
        ) : null}
        <section aria-labelledby="members-title" className="grid gap-3">
          <h2 id="members-title" className="text-base font-semibold">
            {members.length} {members.length === 1 ? "member" : "members"}
          </h2>
          <MemberTable
            slug={org.slug}
            viewer={viewer}
            members={members.map(({ userId: id, name, email, role: r, orgTokens }) => ({
              userId: id,
              name,
              email,
              role: r,
              orgTokens: manager || id === userId ? orgTokens : 0,
            }))}
          />
        </section>
        <section
          aria-labelledby="leave-title"
          className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-destructive/30 p-4"
        >
          <div className="grid gap-1">
            <h2 id="leave-title" className="text-sm font-semibold">
              Leave {org.name}
            </h2>
            <p className="text-sm text-muted-foreground">
              {role === "owner"
                ? "An organization needs an owner: if you are the only one, make someone else an owner first."
                : "You lose access to its shared providers at once."}
            </p>
          </div>
          <LeaveOrgButton slug={org.slug} orgName={org.name} orgTokens={ownTokens} />
        </section>
      </div>
    </>
  );
}
