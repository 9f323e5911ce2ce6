import { Building2Icon, CircleAlertIcon, MailIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutForm } from "@/components/auth/sign-out-form";
import { ResendVerificationButton } from "@/components/account/resend-verification-button";
import { AcceptInvitationForm } from "@/components/orgs/accept-invitation-form";
import { ROLE_LABELS } from "@/components/orgs/role-badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { verificationRequired } from "@/lib/auth/email-verification";
import { getCurrentUser } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { loadOrgAccess } from "@/lib/orgs/access";
import { getInvitation, type InvitationView } from "@/lib/orgs/invitations";

// The token is in the URL: keep it out of Referer headers and search engines.
export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer", robots: { index: false, follow: false } };

const ROLE_MEANING = {
  owner: "manage everything, including owners",
  admin: "manage providers, members and tokens",
  member: "use the providers shared with you, without seeing their keys",
} as const;

const titleClass = "text-xl leading-tight font-semibold tracking-tight break-words";

async function findInvitation(token: string): Promise<InvitationView | null> {
  try {
    return await getInvitation(await getDb(), token);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return null;
    throw error;
  }
}

function Problem({ title, children, next }: { title: string; children: ReactNode; next?: { href: string; label: string } }) {
  return (
    <Card>
      <CardHeader>
        <CircleAlertIcon className="size-6 text-muted-foreground" aria-hidden />
        <h1 className={titleClass}>{title}</h1>
        <CardDescription>{children}</CardDescription>
      </CardHeader>
      <CardContent>
        <Button asChild variant={next ? "default" : "outline"} className="w-full">
          <Link href={next?.href ?? "/"}>{next?.label ?? "Go to BYOK"}</Link>
        </Button>
      </CardContent>
    </Card>
  );
}

/** An invitation link: who invites whom to what, and the one next step for this visitor. */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invitation, user] = await Promise.all([findInvitation(token), getCurrentUser()]);

  if (!invitation) {
    return <Problem title="This invitation link is not valid">Check that you copied the whole link, or ask for a new invitation.</Problem>;
  }
  const from = <strong className="text-foreground">{invitation.orgName}</strong>;
  const alreadyMember = user
    ? await loadOrgAccess(await getDb(), invitation.orgSlug, user.id).then(
        () => true,
        () => false,
      )
    : false;
  if (alreadyMember) {
    return (
      <Problem
        title={`You are already a member of ${invitation.orgName}`}
        next={{ href: `/orgs/${invitation.orgSlug}/models`, label: `Open ${invitation.orgName}` }}
      >
        There is nothing to accept: you can use the organization right away.
      </Problem>
    );
  }
  if (invitation.state === "accepted") {
    return (
      <Problem title="This invitation was already used">
        Each link works once. If it was not you, ask an owner or admin of {from} for a new one.
      </Problem>
    );
  }
  if (invitation.state === "revoked") {
    return <Problem title="This invitation was revoked">Ask an owner or admin of {from} for a new one.</Problem>;
  }
  if (invitation.state === "expired") {
    return (
      <Problem title="This invitation has expired">
        Invitations are valid for 7 days. Ask an owner or admin of {from} for a new one.
      </Problem>
    );
  }

  const here = `/invite/${encodeURIComponent(token)}`;
  const callback = encodeURIComponent(here);
  const matches = user && user.email.trim().toLowerCase() === invitation.email;
  const mustVerify = verificationRequired() && !user?.emailVerifiedAt;

  return (
    <Card>
      <CardHeader>
        <Building2Icon className="size-6 text-primary" aria-hidden />
        <h1 className={titleClass}>Join {invitation.orgName}</h1>
        <CardDescription>You have been invited to an organization on BYOK.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5">
        <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-2 rounded-lg border bg-muted/40 p-3 text-sm">
          <dt className="text-muted-foreground">Organization</dt>
          <dd className="font-medium break-words">{invitation.orgName}</dd>
          <dt className="text-muted-foreground">Invited email</dt>
          <dd className="font-medium break-all">{invitation.email}</dd>
          <dt className="text-muted-foreground">Role</dt>
          <dd>
            <span className="font-medium">{ROLE_LABELS[invitation.role]}</span>
            <span className="text-muted-foreground">: {ROLE_MEANING[invitation.role]}</span>
          </dd>
        </dl>
        {!user ? (
          <div className="grid gap-3">
            <p className="text-sm text-muted-foreground">
              Sign in as <strong className="text-foreground">{invitation.email}</strong> to accept, or create an account with that email.
            </p>
            <Button asChild>
              <Link href={`/login?callbackUrl=${callback}`}>Sign in to accept</Link>
            </Button>
            <Button asChild variant="outline">
              <Link href={`/signup?callbackUrl=${callback}`}>Create an account</Link>
            </Button>
          </div>
        ) : matches && mustVerify ? (
          <div className="grid gap-3">
            <p role="alert" className="flex items-start gap-2 rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-sm">
              <MailIcon className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
              <span>
                Verify your email address before accepting: open the link we sent to <strong className="break-words">{user.email}</strong>,
                then come back to this page. Invitations go only to people who proved they receive mail at the invited address.
              </span>
            </p>
            <ResendVerificationButton />
          </div>
        ) : matches ? (
          <div className="grid gap-3">
            <p className="text-sm text-muted-foreground">
              Signed in as <strong className="text-foreground">{user.email}</strong>.
            </p>
            <AcceptInvitationForm token={token} />
          </div>
        ) : (
          <div className="grid gap-3">
            <p role="alert" className="flex items-start gap-2 rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-sm">
              <MailIcon className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
              <span>
                This invitation is for <strong>{invitation.email}</strong>, but you are signed in as <strong>{user.email}</strong>. Sign
                out, then sign in (or create an account) with {invitation.email} and open this link again.
              </span>
            </p>
            <SignOutForm />
          </div>
        )}
      </CardContent>
    </Card>
  );
}
