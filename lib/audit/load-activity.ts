/**
 * Server side of an activity page: the first page (server-rendered, handed to the feed as its
 * initial data) and the names the feed needs to turn ids into words. Hints only, never a secret.
 */
import "server-only";
import type { Executor } from "@/db/client";
import { isEventKind, listEvents, type ActivityPage } from "@/lib/audit/events";
import { listCredentials } from "@/lib/credentials/queries";
import { listMembers } from "@/lib/orgs/members";
import { listSharedWithUser } from "@/lib/orgs/sharing";
import { orgOwner, userOwner } from "@/lib/owners";
import { listTokens } from "@/lib/tokens/queries";
import { tokenHint } from "@/lib/tokens/token-format";

export const ACTIVITY_PAGE_SIZE = 25;

/** Names the server knows for ids found in events (tokens, credentials, people). */
export type ActivityNames = {
  tokens: Record<string, { name: string; hint: string }>;
  /** Credential id → provider id. */
  credentials: Record<string, string>;
  /** Organization credential id → organization name (the user's own log, where events of several meet). */
  credentialOrgs: Record<string, string>;
  users: Record<string, string>;
  /** True on an organization's own log (its name goes without saying there). */
  inOrgLog?: boolean;
};

export type ActivityProps = { initialKind: string; initialPage: ActivityPage; names: ActivityNames; pageSize: number };

/** A `?kind=` value the API accepts, or "" (all kinds). */
export function kindParam(value: string | string[] | undefined): string {
  return typeof value === "string" && isEventKind(value) ? value : "";
}

export async function loadActivity(db: Executor, scope: { userId: string } | { orgId: string }, kind: string): Promise<ActivityProps> {
  const owner = "userId" in scope ? userOwner(scope.userId) : orgOwner(scope.orgId);
  const [initialPage, tokens, credentials, members, orgCredentials] = await Promise.all([
    listEvents(db, scope, { kind: kind || null, limit: ACTIVITY_PAGE_SIZE }),
    listTokens(db, owner),
    listCredentials(db, owner),
    "orgId" in scope ? listMembers(db, scope.orgId) : Promise.resolve([]),
    // The user's log mixes their own keys with organizations' they acted on: name the organization.
    "userId" in scope ? listSharedWithUser(db, scope.userId) : Promise.resolve([]),
  ]);
  return {
    initialKind: kind,
    initialPage,
    pageSize: ACTIVITY_PAGE_SIZE,
    names: {
      tokens: Object.fromEntries(tokens.map((t) => [t.id, { name: t.name, hint: tokenHint(t.lastFour) }])),
      credentials: Object.fromEntries([...credentials, ...orgCredentials].map((c) => [c.id, c.provider])),
      credentialOrgs: Object.fromEntries(orgCredentials.map((c) => [c.id, c.orgName])),
      users: Object.fromEntries(members.map((m) => [m.userId, m.name])),
      inOrgLog: "orgId" in scope,
    },
  };
}
