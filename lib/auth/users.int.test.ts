import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { signUpSchema } from "./schemas";
import { createUser, verifyCredentials } from "./users";

const input = (email: string, password = "a long passphrase") => signUpSchema.parse({ name: "Grace Hopper", email, password });

describe("accounts", () => {
  it("stores an argon2id hash, never the password", async () => {
    const db = await getDb();
    const user = await createUser(db, input("grace@example.com"));
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(JSON.stringify(row)).not.toContain("a long passphrase");
  });

  it("refuses a taken email whatever its case or spacing, as a field error", async () => {
    const db = await getDb();
    await createUser(db, input("taken@example.com"));
    const again = createUser(db, input("  TAKEN@Example.com "));
    await expect(again).rejects.toBeInstanceOf(AppError);
    await expect(again).rejects.toMatchObject({ code: "conflict", fieldErrors: { email: expect.stringMatching(/already exists/) } });
  });

  it("keeps one account when two sign-ups for the same email race", async () => {
    const db = await getDb();
    const results = await Promise.allSettled([createUser(db, input("race@example.com")), createUser(db, input("RACE@example.com"))]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rows = await db.select().from(users).where(eq(users.email, "race@example.com"));
    expect(rows).toHaveLength(1);
  });

  it("accepts the right password with any email case, and refuses wrong ones", async () => {
    const db = await getDb();
    await createUser(db, input("ada@example.com", "analytical engine"));
    expect(await verifyCredentials(db, { email: "ADA@example.com".toLowerCase(), password: "analytical engine" })).toMatchObject({
      email: "ada@example.com",
    });
    expect(await verifyCredentials(db, { email: "ada@example.com", password: "analytical engin" })).toBeNull();
    expect(await verifyCredentials(db, { email: "nobody@example.com", password: "analytical engine" })).toBeNull();
  });

  it("takes about as long for an unknown email as for a wrong password", async () => {
    const db = await getDb();
    await createUser(db, input("timing@example.com"));
    const time = async (email: string) => {
      const start = performance.now();
      await verifyCredentials(db, { email, password: "wrong password!" });
      return performance.now() - start;
    };
    await time("warmup@example.com");
    const samples = { known: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < 5; i++) {
      samples.known.push(await time("timing@example.com"));
      samples.unknown.push(await time(`nobody${i}@example.com`));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(samples.unknown) / median(samples.known);
    // Both paths run one argon2id verification (tens of ms); without the dummy hash the unknown
    // path would be a single indexed query, well under a tenth of that.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
