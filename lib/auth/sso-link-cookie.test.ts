import { describe, expect, it } from "vitest";
import { encode } from "next-auth/jwt";
import { openPendingLink, sealPendingLink } from "./sso-link-cookie";

const secret = "a-test-secret-that-is-long-enough-0123456789";
const link = { issuer: "https://idp.example.test", subject: "sub-1", email: "ada@example.test" };

describe("pending SSO link cookie", () => {
  it("opens what it sealed, and nothing readable is in the cookie", async () => {
    const sealed = await sealPendingLink(link, secret);
    expect(sealed).not.toContain("ada");
    expect(Buffer.from(sealed.split(".")[0]!, "base64url").toString()).not.toContain("ada");
    expect(await openPendingLink(sealed, secret)).toEqual(link);
  });

  it("refuses a cookie sealed under another secret, tampered with, expired, or a session token", async () => {
    const sealed = await sealPendingLink(link, secret);
    expect(await openPendingLink(sealed, `${secret}-other`)).toBeNull();
    expect(await openPendingLink(`${sealed.slice(0, -4)}AAAA`, secret)).toBeNull();
    expect(await openPendingLink(await sealPendingLink(link, secret, -60), secret)).toBeNull();
    const session = await encode({
      token: { iss: link.issuer, sub: link.subject, email: link.email },
      secret,
      salt: "authjs.session-token",
    });
    expect(await openPendingLink(session, secret)).toBeNull();
    expect(await openPendingLink(undefined, secret)).toBeNull();
    expect(await openPendingLink("garbage", secret)).toBeNull();
  });
});
