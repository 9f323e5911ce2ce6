import { describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/errors";
import { checkSsoConfiguration, emailDomainAllowed, normalizeIssuer } from "./sso-settings";

describe("SSO settings", () => {
  it("accepts all three OIDC variables or none, and names the missing ones otherwise", () => {
    expect(() => checkSsoConfiguration({})).not.toThrow();
    expect(() => checkSsoConfiguration({ OIDC_ISSUER: "https://idp", OIDC_CLIENT_ID: "id", OIDC_CLIENT_SECRET: "s" })).not.toThrow();
    expect(() => checkSsoConfiguration({ OIDC_ISSUER: "https://idp", OIDC_CLIENT_ID: "id" })).toThrow(ConfigError);
    expect(() => checkSsoConfiguration({ OIDC_ISSUER: "https://idp", OIDC_CLIENT_ID: "id" })).toThrow(
      /^OIDC_ISSUER and OIDC_CLIENT_ID are set but OIDC_CLIENT_SECRET is not/,
    );
    expect(() => checkSsoConfiguration({ OIDC_CLIENT_SECRET: "s" })).toThrow(
      /^OIDC_CLIENT_SECRET is set but OIDC_ISSUER and OIDC_CLIENT_ID are not/,
    );
  });

  it("spells an issuer one way", () => {
    expect(normalizeIssuer("https://idp.example.com/")).toBe("https://idp.example.com");
    expect(normalizeIssuer("https://IDP.example.com")).toBe("https://idp.example.com");
    expect(normalizeIssuer("https://idp.example.com/realms/acme/")).toBe("https://idp.example.com/realms/acme");
  });

  it("matches email domains exactly, in any letter case; an empty list allows all", () => {
    expect(emailDomainAllowed("a@Acme.com", ["acme.com"])).toBe(true);
    expect(emailDomainAllowed("a@sub.acme.com", ["acme.com"])).toBe(false);
    expect(emailDomainAllowed("a@evilacme.com", ["acme.com"])).toBe(false);
    expect(emailDomainAllowed("a@acme.com.evil", ["acme.com"])).toBe(false);
    expect(emailDomainAllowed("a@whatever.org", [])).toBe(true);
  });
});
