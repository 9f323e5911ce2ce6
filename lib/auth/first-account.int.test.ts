/**
 * Without SMTP (the embedded default) nothing can be mailed: the first account ever created is
 * trusted as verified, later ones are not, and invitations are bearer links that need no
 * verification. Its own file, so its database starts empty.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { acceptInvitation, createInvitation } from "@/lib/orgs/invitations";
import { createOrganization } from "@/lib/orgs/organizations";
import { resendVerificationEmail } from "./email-verification";
import { signUpSchema } from "./schemas";
import { registerAccount } from "./sign-up";

const signUp = async (email: string, ip: string) =>
  registerAccount(await getDb(), signUpSchema.parse({ name: "Operator", email, password: "a long enough password" }), ip);

describe("without SMTP", () => {
  it("trusts the first account only; invitations are accepted without verification", async () => {
    const db = await getDb();
    const first = await signUp("operator@example.test", "192.0.2.1");
    const second = await signUp("colleague@example.test", "192.0.2.2");
    const rows = await db.select({ id: users.id, at: users.emailVerifiedAt }).from(users);
    expect(rows.find((r) => r.id === first.id)!.at).not.toBeNull();
    expect(rows.find((r) => r.id === second.id)!.at).toBeNull();

    const org = await createOrganization(db, { userId: first.id, ip: null }, { name: "Laptop Org" });
    const { link, emailed } = await createInvitation(
      db,
      { userId: first.id, ip: null },
      org.slug,
      { email: "colleague@example.test", role: "member" },
      "http://localhost:3000",
    );
    expect(emailed).toBe(false);
    const token = link.split("/").pop()!;
    expect(await acceptInvitation(db, { userId: second.id, ip: null, email: second.email }, token)).toEqual({ slug: org.slug });
    await expect(resendVerificationEmail(db, { ...second, emailVerifiedAt: null })).rejects.toMatchObject({ code: "invalid_request" });
    const [again] = await db.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, second.id));
    expect(again!.at).toBeNull();
  });
});
