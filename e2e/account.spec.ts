/**
 * The account page (/account): name, password, sessions, recent sign-ins, deleting the account.
 * Two browser contexts stand for two devices of one person; a copied cookie replayed with a plain
 * request stands for a stolen one.
 */
import path from "node:path";
import type { APIRequestContext, Browser, BrowserContext, Page } from "@playwright/test";
import { request as playwrightRequest } from "@playwright/test";
import { clientAddressHeaders, expect, signIn, signUp, test, type Account } from "./fixtures";

const shots = path.join(__dirname, ".artifacts");
const SESSION_COOKIE = /^(?:__Secure-)?authjs\.session-token/;

/** A second device: its own context, its own address, signed in to `account`. */
async function secondDevice(browser: Browser, account: Account): Promise<{ context: BrowserContext; page: Page; ip: string }> {
  const headers = clientAddressHeaders();
  const context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL, extraHTTPHeaders: headers });
  const page = await context.newPage();
  await page.goto("/login");
  await signIn(page, account);
  await expect(page).toHaveURL(/\/agent\/models$/);
  return { context, page, ip: headers["X-Forwarded-For"]! };
}

async function openAccount(page: Page) {
  const menu = page.getByRole("button", { name: /Account menu/ });
  if (!(await menu.isVisible())) await page.getByRole("button", { name: "Open menu" }).click();
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Account" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { name: "Account", exact: true })).toBeVisible();
}

/** A plain HTTP client that sends exactly these cookies (no browser, no redirects followed). */
async function replay(cookies: { name: string; value: string }[]): Promise<APIRequestContext> {
  return playwrightRequest.newContext({
    baseURL: process.env.E2E_BASE_URL,
    extraHTTPHeaders: { ...clientAddressHeaders(), cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; ") },
  });
}

const sessionCookies = async (context: BrowserContext) => (await context.cookies()).filter((c) => SESSION_COOKIE.test(c.name));

test.describe("account page", () => {
  // Two browsers and several argon2 sign-ins on a shared 2-core machine: more than the default minute.
  test.describe.configure({ timeout: 120_000 });

  test("change name: the shell shows the new name", async ({ page, account }) => {
    await signUp(page, account);
    await openAccount(page);
    await expect(page.getByText(account.email, { exact: true }).first()).toBeVisible();
    const name = page.getByLabel("Name", { exact: true });
    await expect(name).toHaveValue(account.name);
    await name.fill(`${account.name} Renamed`);
    await page.getByRole("button", { name: "Save name" }).click();
    await expect(page.getByText("Name saved")).toBeVisible();
    await expect(page.getByRole("button", { name: `Account menu for ${account.name} Renamed` })).toBeAttached();
    await page.reload();
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue(`${account.name} Renamed`);
  });

  test("change password: the other device is signed out, this one stays, the old password is refused", async ({
    page,
    account,
    browser,
  }) => {
    await signUp(page, account);
    const other = await secondDevice(browser, account);
    await openAccount(page);

    await page.getByLabel("Current password").fill("not the password");
    await page.getByLabel("New password").fill("a brand new password");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("That password is not correct.")).toBeVisible();
    await expect(page.getByLabel("Current password")).toHaveAttribute("aria-invalid", "true");

    await page.getByLabel("Current password").fill(account.password);
    await page.getByLabel("New password").fill("a brand new password");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("Password changed")).toBeVisible();
    await expect(page.getByLabel("Current password")).toHaveValue("");

    // This browser got a cookie under the new version: still signed in, on every page.
    await page.goto("/agent/tokens");
    await expect(page.getByRole("heading", { name: "Tokens", exact: true })).toBeVisible();

    // The other device: sent to /login on its next navigation, told why, cookie gone (no redirect loop).
    await other.page.goto("/agent/tokens");
    await expect(other.page).toHaveURL(/\/login\?notice=session-ended$/);
    await expect(other.page.getByRole("status")).toHaveText("Your session has ended. Please sign in again.");
    expect(await sessionCookies(other.context)).toEqual([]);
    await signIn(other.page, account);
    await expect(other.page.locator("main").getByRole("alert")).toHaveText("Incorrect email or password.");
    await signIn(other.page, { email: account.email, password: "a brand new password" });
    await expect(other.page).toHaveURL(/\/agent\/models$/);
    await other.context.close();
  });

  test("sign out of all devices: a copied cookie is refused afterwards, and a session update cannot revive it", async ({
    page,
    account,
    browser,
  }) => {
    await signUp(page, account);
    const other = await secondDevice(browser, account);
    const stolen = await sessionCookies(other.context);
    expect(stolen).toHaveLength(1);
    const before = await replay(stolen);
    expect((await before.get("/api/activity")).status()).toBe(200);

    await openAccount(page);
    await page.getByRole("button", { name: "Sign out of all devices" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(page).toHaveURL(/\/login\?notice=signed-out-everywhere$/);
    await expect(page.getByRole("status")).toHaveText("You were signed out of all devices.");
    expect(await sessionCookies(page.context())).toEqual([]);

    // The copied cookie, replayed by a plain client: a route handler answers 401, a page sends it to be cleared.
    const after = await replay(stolen);
    expect((await after.get("/api/activity")).status()).toBe(401);
    const dashboard = await after.get("/agent/models", { maxRedirects: 0 });
    expect(dashboard.status()).toBeGreaterThanOrEqual(300);
    expect(dashboard.status()).toBeLessThan(400);
    expect(dashboard.headers().location).toMatch(/\/api\/session-ended$/);
    const ended = await after.get("/api/session-ended", { maxRedirects: 0 });
    expect(ended.status()).toBe(303);
    expect(ended.headers().location).toMatch(/\/login\?notice=session-ended$/);
    expect(ended.headers()["set-cookie"]).toMatch(/authjs\.session-token=;/);

    // Auth.js's session update (POST /api/auth/session, CSRF token and all) re-signs the cookie,
    // but whatever version the client asks for, the cookie keeps the old one: still refused.
    const csrf = (await (await after.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const csrfCookie = (await after.storageState()).cookies.filter((c) => c.name.includes("authjs.csrf-token"));
    const forger = await replay([...stolen, ...csrfCookie]);
    const update = await forger.post("/api/auth/session", {
      data: { csrfToken: csrf.csrfToken, data: { sv: 99, sessionVersion: 99, user: { sessionVersion: 99 } } },
    });
    expect(update.status()).toBe(200);
    const reissued = update.headersArray().find((h) => h.name.toLowerCase() === "set-cookie" && SESSION_COOKIE.test(h.value));
    expect(reissued, "Auth.js re-issued the session cookie").toBeTruthy();
    const value = /^[^=]+=([^;]*)/.exec(reissued!.value)![1]!;
    expect(value).not.toBe(stolen[0]!.value);
    const revived = await replay([{ name: stolen[0]!.name, value }]);
    expect((await revived.get("/api/activity")).status()).toBe(401);

    // The other browser: sent to /login once, told why, and its cookie is gone.
    await other.page.goto("/agent/models");
    await expect(other.page).toHaveURL(/\/login\?notice=session-ended$/);
    expect(await sessionCookies(other.context)).toEqual([]);
    await Promise.all([before.dispose(), after.dispose(), forger.dispose(), revived.dispose(), other.context.close()]);
  });

  test("recent sign-ins list both devices' sign-ins, newest first", async ({ browser }) => {
    const headers = clientAddressHeaders();
    const context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL, extraHTTPHeaders: headers });
    const page = await context.newPage();
    const { newAccount } = await import("./fixtures");
    const account = newAccount();
    await signUp(page, account);
    const other = await secondDevice(browser, account);
    await openAccount(page);
    const list = page.getByRole("list", { name: "Recent sign-ins" });
    const items = list.getByRole("listitem");
    await expect(items).toHaveCount(2);
    await expect(items.nth(0)).toContainText(other.ip);
    await expect(items.nth(1)).toContainText(headers["X-Forwarded-For"]!);
    for (const item of await items.all()) {
      await expect(item).toContainText(/Chrome on (Windows|Linux|macOS)/);
      await expect(item).toContainText("Password");
      await expect(item.locator("time")).toHaveAttribute("title", /UTC$/);
    }
    await Promise.all([context.close(), other.context.close()]);
  });

  test("delete account: refused for the last owner of an organization, naming it", async ({ page, account }) => {
    await signUp(page, account);
    const orgName = `Acme ${account.email.slice(5, 13)}`;
    await page.goto("/orgs/new");
    await page.getByLabel("Organization name").fill(orgName);
    await page.getByRole("button", { name: "Create organization" }).click();
    await expect(page).toHaveURL(/\/orgs\/[^/]+\/models$/);

    await openAccount(page);
    await expect(page.getByText(`You are the last owner of ${orgName}`)).toBeVisible();
    await page.getByRole("button", { name: "Delete account" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete your account?" });
    await dialog.getByLabel("Password").fill(account.password);
    await dialog.getByRole("button", { name: "Delete my account" }).click();
    await expect(dialog.getByRole("alert")).toHaveText(
      `You are the last owner of ${orgName}. Transfer ownership (make another member an owner of it) first.`,
    );
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(page).toHaveURL(/\/account$/);
  });

  test("delete account: a wrong password is refused; the right one deletes it and signing in fails", async ({ page, account }) => {
    await signUp(page, account);
    await openAccount(page);
    await page.getByRole("button", { name: "Delete account" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete your account?" });
    await expect(dialog.getByLabel("Password")).toBeFocused();
    await dialog.getByLabel("Password").fill("not the password");
    await dialog.getByRole("button", { name: "Delete my account" }).click();
    await expect(dialog.getByText("That password is not correct.")).toBeVisible();

    await dialog.getByLabel("Password").fill(account.password);
    await dialog.getByRole("button", { name: "Delete my account" }).click();
    await expect(page).toHaveURL(/\/login\?notice=account-deleted$/);
    await expect(page.getByRole("status")).toHaveText("Your account was deleted. Thank you for using BYOK.");
    await signIn(page, account);
    await expect(page.locator("main").getByRole("alert")).toHaveText("Incorrect email or password.");
  });

  test("a deleted member appears in the organization's activity as “a deleted user”", async ({ page, browser }) => {
    const { newAccount } = await import("./fixtures");
    const owner = newAccount("Owner");
    await signUp(page, owner);
    const orgName = `Acme ${owner.email.slice(5, 13)}`;
    await page.goto("/orgs/new");
    await page.getByLabel("Organization name").fill(orgName);
    await page.getByRole("button", { name: "Create organization" }).click();
    await expect(page).toHaveURL(/\/orgs\/[^/]+\/models$/);
    const slug = new URL(page.url()).pathname.split("/")[2]!;
    const member = newAccount("Leaver");
    await page.goto(`/orgs/${slug}/members`);
    await page.getByLabel("Email").fill(member.email);
    await page.getByLabel("Role").first().selectOption("admin");
    await page.getByRole("button", { name: "Invite" }).click();
    const link = await page.getByRole("textbox", { name: "Invitation link" }).inputValue();

    const context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL, extraHTTPHeaders: clientAddressHeaders() });
    const leaver = await context.newPage();
    await signUp(leaver, member);
    await leaver.goto(new URL(link).pathname);
    await leaver.getByRole("button", { name: "Accept invitation" }).click();
    await expect(leaver).toHaveURL(new RegExp(`/orgs/${slug}/models$`));
    await leaver.goto("/account");
    await leaver.getByRole("button", { name: "Delete account" }).click();
    await leaver.getByRole("dialog").getByLabel("Password").fill(member.password);
    await leaver.getByRole("dialog").getByRole("button", { name: "Delete my account" }).click();
    await expect(leaver).toHaveURL(/\/login\?notice=account-deleted$/);
    await context.close();

    await page.goto(`/orgs/${slug}/activity`);
    const log = page.locator("main");
    await expect(log.getByText("A deleted user deleted their account and left the organization")).toBeVisible();
    await expect(log.getByText("A deleted user joined as admin")).toBeVisible();
    await expect(log.getByText("invited a deleted user as admin")).toBeVisible();
    await expect(log).not.toContainText(member.email);
    await expect(log).not.toContainText(member.name);
  });

  test("screenshots: light, dark, phone width", async ({ page, account }) => {
    await signUp(page, account);
    await page.goto("/account");
    await expect(page.getByRole("heading", { name: "Account", exact: true })).toBeVisible();
    await page.screenshot({ path: path.join(shots, "account-light.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    await expect(page.getByRole("heading", { name: "Account", exact: true })).toBeVisible();
    await page.screenshot({ path: path.join(shots, "account-dark.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: "light" });
    await page.reload();
    await expect(page.getByRole("heading", { name: "Account", exact: true })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: path.join(shots, "account-phone.png"), fullPage: true });
    await page.getByRole("button", { name: "Delete account" }).click();
    await page.screenshot({ path: path.join(shots, "account-phone-dialog.png") });
  });
});
