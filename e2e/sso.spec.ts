/**
 * Single sign-on through a real OpenID Provider (oidc-provider on 127.0.0.1, test/oidc-provider.ts)
 * and the whole redirect flow in Chromium: BYOK's button, the provider's login page, BYOK's
 * callback. Its own app server, configured for the provider ("Test SSO", two allowed domains).
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Page } from "@playwright/test";
import { startTestIdp, type IdpUser, type TestIdp } from "../test/oidc-provider";
import { spawnAppServer, startAppServer, type AppServer } from "./app-server";
import { clientAddressHeaders, expect, newAccount, signIn, signOut, signUp, test, type Account } from "./fixtures";
import { freePort } from "./free-port";

const shots = path.join(__dirname, ".artifacts");
const LINK_MESSAGE = "An account with this email exists. Sign in with your password once to link Test SSO.";

type Sso = { idp: TestIdp; server: AppServer };

// One provider and one app server per worker; every test here runs in the same worker, in order.
test.describe.configure({ mode: "default" });

const ssoTest = test.extend<{ idp: TestIdp; server: AppServer }, { sso: Sso }>({
  sso: [
    async ({}, use) => {
      const idp = await startTestIdp();
      const server = await startAppServer(
        "sso",
        {
          OIDC_ISSUER: idp.issuer,
          OIDC_CLIENT_ID: idp.clientId,
          OIDC_CLIENT_SECRET: idp.clientSecret,
          OIDC_NAME: "Test SSO",
          OIDC_ALLOWED_DOMAINS: "example.com, SSO.test",
          TRUSTED_PROXY_HOPS: "1",
        },
        140_000,
      );
      idp.allowRedirect(`${server.url}/api/auth/callback/oidc`);
      await use({ idp, server });
      await server.stop();
      await idp.close();
    },
    { scope: "worker", timeout: 150_000 },
  ],
  idp: async ({ sso }, use) => use(sso.idp),
  server: async ({ sso }, use) => use(sso.server),
  baseURL: async ({ sso }, use) => use(sso.server.url),
});

/** An IdP user (added to the provider) whose login is unique to this test. */
function idpUser(idp: TestIdp, overrides: Partial<IdpUser> = {}): { login: string } & IdpUser {
  const id = randomUUID().slice(0, 8);
  const user = { login: `idp-${id}`, email: `sso-${id}@sso.test`, emailVerified: true, name: `Sso Person ${id}`, ...overrides };
  idp.addUser(user.login, user);
  return user;
}

/** Clicks "Sign in with Test SSO" and, if the provider asks (no session there yet), logs in there as `login`. */
async function signInWithSso(page: Page, { idp, server }: { idp: TestIdp; server: AppServer }, login: string) {
  const start = page.url();
  await page.getByRole("button", { name: "Sign in with Test SSO" }).click();
  const atIdpLogin = (url: URL) => url.origin === idp.issuer && url.pathname.startsWith("/interaction/");
  await page.waitForURL((url) => atIdpLogin(url) || (url.origin === server.url && url.href !== start));
  if (atIdpLogin(new URL(page.url()))) {
    await page.locator("input[name=login]").fill(login);
    await page.locator("input[name=password]").fill("anything");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.waitForURL((url) => url.origin === server.url);
  }
}

const accountMenu = (page: Page, name: string) => page.getByRole("button", { name: `Account menu for ${name}` });

async function expectSignedOut(page: Page) {
  await page.goto("/agent/models");
  await expect(page).toHaveURL(/\/login(\?|$)/);
}

ssoTest(
  "first SSO sign-in creates the account; signing in again, back to the page asked for, is the same account",
  async ({ page, idp, server }) => {
    const user = idpUser(idp);
    await page.goto("/login");
    await signInWithSso(page, { idp, server }, user.login);
    await expect(page).toHaveURL(/\/agent\/models$/);
    await expect(accountMenu(page, user.name)).toBeVisible();

    // Something only this account has: a token.
    await page.goto("/agent/tokens");
    await page.getByLabel("Token name").fill("made over sso");
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByRole("textbox", { name: "New token" })).toBeVisible();
    await signOut(page);

    await page.goto("/agent/tokens");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fagent%2Ftokens$/);
    await signInWithSso(page, { idp, server }, user.login);
    await expect(page).toHaveURL(/\/agent\/tokens$/);
    await expect(accountMenu(page, user.name)).toBeVisible();
    await expect(page.getByText("made over sso")).toBeVisible();
  },
);

ssoTest(
  "an existing password account is linked only after its own password sign-in, never another account's",
  async ({ page, idp, server }) => {
    const owner: Account = { ...newAccount("Owner"), email: `owner-${randomUUID().slice(0, 8)}@example.com` };
    const other = newAccount("Other");
    await signUp(page, owner);
    await signOut(page);
    await signUp(page, other);
    await signOut(page);
    const user = idpUser(idp, { email: owner.email.toUpperCase(), name: "Owner At The IdP" });

    // SSO alone does not sign in the password account: the message says what to do.
    await signInWithSso(page, { idp, server }, user.login);
    await expect(page).toHaveURL(/\/login\?error=sso_link_required/);
    await expect(page.locator("main").getByRole("status")).toHaveText(LINK_MESSAGE);
    await expectSignedOut(page);

    // Another account's password sign-in in the same browser links nothing.
    await signIn(page, other);
    await expect(page).toHaveURL(/\/agent\/models$/);
    await expect(page.getByText(/is now linked to your account/)).toHaveCount(0);
    await signOut(page);
    await signInWithSso(page, { idp, server }, user.login);
    await expect(page.locator("main").getByRole("status")).toHaveText(LINK_MESSAGE);

    // The owner's password sign-in links it, and says so.
    await signIn(page, owner);
    await expect(page).toHaveURL(/\/agent\/models$/);
    await expect(page.getByText("Test SSO is now linked to your account", { exact: false })).toBeVisible();
    await signOut(page);

    // From now on SSO signs in the owner (with the BYOK name, not the provider's).
    await signInWithSso(page, { idp, server }, user.login);
    await expect(page).toHaveURL(/\/agent\/models$/);
    await expect(accountMenu(page, owner.name)).toBeVisible();
  },
);

ssoTest("an email outside the allowed domains is refused", async ({ page, idp, server }) => {
  const user = idpUser(idp, { email: `someone-${randomUUID().slice(0, 8)}@elsewhere.test` });
  await page.goto("/agent/tokens");
  await signInWithSso(page, { idp, server }, user.login);
  await expect(page).toHaveURL(/\/login\?error=sso_domain_not_allowed&callbackUrl=%2Fagent%2Ftokens$/);
  await expect(page.locator("main").getByRole("alert")).toHaveText(
    "Your email domain is not allowed to sign in with Test SSO here. Use an address of your organization.",
  );
  await expectSignedOut(page);
});

ssoTest("an email the provider has not verified is refused", async ({ page, idp, server }) => {
  const user = idpUser(idp, { emailVerified: false });
  await page.goto("/login");
  await signInWithSso(page, { idp, server }, user.login);
  await expect(page).toHaveURL(/\/login\?error=sso_email_unverified/);
  await expect(page.locator("main").getByRole("alert")).toContainText("Test SSO did not confirm that your email address is verified");
  await expectSignedOut(page);
});

ssoTest("cancelling at the provider comes back to a readable message", async ({ page, idp, server }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with Test SSO" }).click();
  await page.waitForURL((url) => url.origin === idp.issuer);
  await page.getByRole("link", { name: "[ Cancel ]" }).click();
  await expect(page).toHaveURL(/\/login\?error=OAuthCallbackError/);
  await expect(page.locator("main").getByRole("alert")).toHaveText(
    "Signing in with Test SSO was cancelled or did not complete. Try again.",
  );
  expect(server.output()).not.toMatch(/\n\s+at /);
});

ssoTest("/login with SSO, light, dark and at phone width", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in with Test SSO" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await page.screenshot({ path: path.join(shots, "sso-login-light.png") });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/login?error=sso_link_required");
  await page.screenshot({ path: path.join(shots, "sso-login-dark.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/login?error=sso_domain_not_allowed");
  await page.screenshot({ path: path.join(shots, "sso-login-phone-dark.png"), fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/login");
  await page.screenshot({ path: path.join(shots, "sso-login-phone.png"), fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test.describe("misconfigured", () => {
  test("OIDC_ISSUER without its client id and secret refuses to start, naming them", async () => {
    const refused = await spawnAppServer("sso-partial", { OIDC_ISSUER: "https://idp.example.com" });
    try {
      const code = await Promise.race([refused.exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 30_000))]);
      expect(code).toBe(1);
      expect(refused.output()).toContain("cannot start: OIDC_ISSUER is set but OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are not");
      expect(refused.output()).not.toMatch(/\n\s+at /);
    } finally {
      await refused.stop();
    }
  });

  test("an unreachable provider gives a readable message, not an error page", async ({ browser }) => {
    test.setTimeout(150_000);
    const down = await startAppServer(
      "sso-down",
      { OIDC_ISSUER: `http://127.0.0.1:${await freePort()}`, OIDC_CLIENT_ID: "x", OIDC_CLIENT_SECRET: "y", OIDC_NAME: "Test SSO" },
      140_000,
    );
    try {
      const context = await browser.newContext({ baseURL: down.url, extraHTTPHeaders: clientAddressHeaders() });
      const page = await context.newPage();
      await page.goto("/login");
      await page.getByRole("button", { name: "Sign in with Test SSO" }).click();
      await expect(page.locator("main").getByRole("alert")).toHaveText(
        "Test SSO cannot be reached right now. Try again in a moment, or sign in with your password.",
      );
      await expect(page).toHaveURL(/\/login$/);
      await context.close();
      expect(down.output()).not.toMatch(/\n\s+at /);
    } finally {
      await down.stop();
    }
  });
});
