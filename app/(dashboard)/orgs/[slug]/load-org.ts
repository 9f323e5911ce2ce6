/** The organization an /orgs/<slug>/… page is about, with the viewer's role; 404 for non-members. */
import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { loadOrgAccess } from "@/lib/orgs/access";

/** Once per request (metadata and page share it). */
export const loadOrgPage = cache(async (slug: string) => {
  const user = await requireUser();
  const db = await getDb();
  try {
    const access = await loadOrgAccess(db, slug, user.id);
    return { db, user, ...access };
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
});

export type OrgPageParams = { params: Promise<{ slug: string }> };

/** "Members · Acme Research" */
export async function orgPageTitle({ params }: OrgPageParams, page: string): Promise<string> {
  const { org } = await loadOrgPage((await params).slug);
  return `${page} · ${org.name}`;
}
