import { describe, expect, it } from "vitest";
import { signInSchema, signUpSchema } from "./schemas";

describe("sign-up input", () => {
  it("trims and lower-cases the email", () => {
    const parsed = signUpSchema.parse({ name: " Ada ", email: "  Ada@Example.COM ", password: "correct horse" });
    expect(parsed).toEqual({ name: "Ada", email: "ada@example.com", password: "correct horse" });
  });

  it("refuses a password shorter than 10 characters with a clear message", () => {
    const parsed = signUpSchema.safeParse({ name: "Ada", email: "ada@example.com", password: "123456789" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["password"], message: "Use at least 10 characters." });
  });

  it.each(["ada", "ada@", "@example.com", "ada@example", "ada example@x.com"])("refuses the malformed email %j", (email) => {
    const parsed = signUpSchema.safeParse({ name: "Ada", email, password: "long enough password" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["email"]);
    expect(parsed.error?.issues[0]?.message).toMatch(/valid email/);
  });

  it("requires a name", () => {
    const parsed = signUpSchema.safeParse({ name: "   ", email: "ada@example.com", password: "long enough password" });
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["name"], message: "Enter your name." });
  });
});

describe("sign-in input", () => {
  it("normalises the email like sign-up does", () => {
    expect(signInSchema.parse({ email: " ADA@example.com", password: "x" }).email).toBe("ada@example.com");
  });
});
