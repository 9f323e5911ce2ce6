/** Creating organizations and listing a user's. The creator becomes the owner. */
import "server-only";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "@/db/client";
import { memberships, organizations } from "@/db/schema";
import { recordEvent, type Actor } from "@/lib/audit/events";
import { isUniqueViolation } from "@/lib/db-errors";
import { AppError } from "@/lib/errors";
import { SLUG_PATTERN } from "./access";
import { slugify } from "./slug";

export { slugify };
import type { OrgRole } from "./roles";

const RESERVED = new Set(["new", "api", "admin", "settings", "invite", "login", "signup"]);

export const createOrgSchema = z.object({
  name: z
    .string({ error: "Name the organization." })
    .trim()
    .min(2, "Use at least 2 characters.")
    .max(80, "Keep the name under 80 characters."),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || SLUG_PATTERN.test(v), "Use lowercase letters, digits and dashes (e.g. acme-research).")
    .refine((v) => v === undefined || !RESERVED.has(v), "That URL slug is reserved; choose another."),
});

export type OrgSummary = { id: string; name: string; slug: string; role: OrgRole };

export async function createOrganization(
  db: Database,
  actor: Actor & { userId: string },
  input: { name: string; slug?: string },
): Promise<OrgSummary> {
  const slug = input.slug ?? slugify(input.name);
  if (!SLUG_PATTERN.test(slug) || RESERVED.has(slug)) {
    throw new AppError("invalid_request", "Choose a URL slug.", { fieldErrors: { slug: "Choose a URL slug with letters or digits." } });
  }
  try {
    const org = await db.transaction(async (tx) => {
      const [created] = await tx.insert(organizations).values({ name: input.name, slug }).returning();
      await tx.insert(memberships).values({ orgId: created!.id, userId: actor.userId, role: "owner" });
      return created!;
    });
    await recordEvent(db, {
      kind: "org.created",
      actor,
      scope: { orgId: org.id, userId: actor.userId },
      details: { name: org.name, slug },
    });
    return { id: org.id, name: org.name, slug: org.slug, role: "owner" };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "That URL slug is taken.", { fieldErrors: { slug: `“${slug}” is taken: choose another URL slug.` } });
    }
    throw error;
  }
}

/** The organizations a user belongs to, by name. */
export async function listUserOrgs(db: Executor, userId: string): Promise<OrgSummary[]> {
  return db
    .select({ id: organizations.id, name: organizations.name, slug: organizations.slug, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organizations.name));
}
