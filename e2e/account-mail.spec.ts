/**
 * Email that really goes out, end to end: a production server with SMTP_URL pointing at a real
 * SMTP sink and APP_URL = its own URL. Sign-up mails a verification link (the banner stays until it
 * is used, by a button press, not by opening it); "Forgot password?" mails a reset link that works
 * once and ends every session; an invitation waits for a verified address.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "@playwright/test";
import { startSmtpSink, type DeliveredMail, type SmtpSink } from "../test/smtp-sink";
import { startAppServer, type AppServer } from "./app-server";
import { clientAddressHeaders, expect, newAccount, signIn, signUp, test, type Account } from "./fixtures";

let sink: SmtpSink;
let server: AppServer;
const shots = path.resolve(__dirname, ".artifacts");

test.beforeAll(async () => {
  test.setTimeout(150_000);
  sink = await startSmtpSink();
  server = await startAppServer(
    "account-mail",
    { SMTP_URL: sink.url, SMTP_FROM: "BYOK <no-reply@byok.example.com>", APP_URL: "{url}", TRUSTED_PROXY_HOPS: "1" },
    140_000,
  );
  mkdirSync(shots, { recursive: true });
});

test.afterAll(async () => {
  await server?.stop();
  await sink?.close();
});

/** A browser context on this spec's server, from an address of its own. */
async function newContext(browser: { newContext: (o: object) => Promise<BrowserContext> }, options: object = {}) {
  return browser.newContext({ baseURL: server.url, extraHTTPHeaders: clientAddressHeaders(), ...options });
}

/** The newest mail to `to` whose subject starts with `subject` (waiting for it). */
async function mailTo(to: string, subject: string, after = 0): Promise<DeliveredMail> {
  let found: DeliveredMail | undefined;
  await expect
    .poll(() => (found = sink.messages.filter((m, i) => i >= after && m.to.includes(to) && m.subject.startsWith(subject)).at(-1)), {
      timeout: 15_000,
    })
    .toBeDefined();
  return found!;
}

function linkIn(mail: DeliveredMail): string {
  const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
  expect(links).toHaveLength(1);
  return links[0]!;
}

const banner = (page: Page) => page.locator("section", { has: page.getByRole("heading", { name: "Verify your email address" }) });

test("sign up, the banner, the link from the mail: verified and the banner is gone", async ({ browser }) => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const account = newAccount("Verifier");
  await signUp(page, account);
  await expect(banner(page)).toBeVisible();
  await expect(banner(page)).toContainText(account.email);
  await page.screenshot({ path: path.join(shots, "verify-banner-1280.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(shots, "verify-banner-390.png") });
  await page.setViewportSize({ width: 1280, height: 720 });

  const mail = await mailTo(account.email, "Verify your email address for BYOK");
  expect(mail.from).toContain("no-reply@byok.example.com");
  const link = linkIn(mail);
  expect(link).toMatch(new RegExp(`^${server.url}/verify-email/byokv_[A-Za-z0-9_-]{43}$`));

  // A mail scanner fetching the link verifies nothing.
  expect((await page.request.get(link)).status()).toBe(200);
  await page.reload();
  await expect(banner(page)).toBeVisible();

  // "Resend" works once, then says how long to wait.
  const sentBefore = sink.messages.length;
  await banner(page).getByRole("button", { name: "Resend verification email" }).click();
  await expect(banner(page).getByRole("status")).toContainText(`Sent. Open the link in the email we just sent to ${account.email}.`);
  await mailTo(account.email, "Verify your email address for BYOK", sentBefore);
  await banner(page).getByRole("button", { name: "Resend verification email" }).click();
  await expect(banner(page).getByRole("alert")).toContainText(/once a minute\. Try again in \d+ seconds\./);

  // The first link still works: open it, press the button.
  const response = await page.goto(link);
  expect(response!.headers()["referrer-policy"]).toBe("no-referrer");
  expect(response!.headers()["x-robots-tag"]).toContain("noindex");
  await expect(page.getByRole("heading", { name: "Verify your email" })).toBeVisible();
  await page.getByRole("button", { name: "Verify email" }).click();
  await expect(page.getByRole("status")).toContainText(`Your email address ${account.email} is verified.`);
  await page.getByRole("link", { name: "Go to the dashboard" }).click();
  await expect(page).toHaveURL(/\/agent\/models$/);
  await expect(page.getByRole("heading", { name: "Models", exact: true })).toBeVisible();
  await expect(banner(page)).toHaveCount(0);

  // Used: the page says so instead of offering the button again.
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Your email is already verified" })).toBeVisible();
  await page.goto("/verify-email/byokv_not-a-real-token");
  await expect(page.getByRole("heading", { name: "This verification link is not valid" })).toBeVisible();
  await context.close();
});

test("forgot password: one answer, a mailed link, a new password that ends every session, and the link works once", async ({ browser }) => {
  const signedIn = await newContext(browser);
  const old = await signedIn.newPage();
  const account = newAccount("Forgetful");
  await signUp(old, account);

  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);

  // An unknown email and a known one get the very same answer.
  const answerFor = async (email: string) => {
    await page.goto("/forgot-password");
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    const status = page.getByRole("status");
    await expect(status).toContainText("If an account exists for that email, we sent a link");
    return status.innerText();
  };
  const unknown = await answerFor(`nobody-${account.email}`);
  const known = await answerFor(account.email);
  expect(known).toBe(unknown);

  const mail = await mailTo(account.email, "Reset your BYOK password");
  const link = linkIn(mail);
  expect(link).toMatch(new RegExp(`^${server.url}/reset-password/byokr_[A-Za-z0-9_-]{43}$`));
  expect(sink.messages.filter((m) => m.to.includes(`nobody-${account.email}`))).toHaveLength(0);

  const response = await page.goto(link);
  expect(response!.headers()["referrer-policy"]).toBe("no-referrer");
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  const newPassword = `${account.password}-renewed`;
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Confirm new password").fill(`${newPassword}-typo`);
  await page.getByRole("button", { name: "Reset password" }).click();
  await expect(page.getByText("The two passwords do not match.")).toBeVisible();
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Confirm new password").fill(newPassword);
  await page.getByRole("button", { name: "Reset password" }).click();
  await expect(page).toHaveURL(/\/login\?reset=done$/);
  await expect(page.getByRole("status")).toContainText("Your password was changed");

  // The session from before the reset is over (checked where the session is read: an API answer).
  expect((await old.request.get("/api/activity")).status()).toBe(401);

  await signIn(page, account);
  await expect(page.locator("main").getByRole("alert")).toHaveText("Incorrect email or password.");
  await signIn(page, { email: account.email, password: newPassword });
  await expect(page).toHaveURL(/\/agent\/models$/);
  // The emailed link proved the address: no banner.
  await expect(banner(page)).toHaveCount(0);

  // A second use of the link is refused.
  const again = await newContext(browser);
  const second = await again.newPage();
  await second.goto(link);
  await expect(second.getByRole("heading", { name: "This reset link was already used" })).toBeVisible();
  await expect(second.getByRole("link", { name: "Ask for a new link" })).toHaveAttribute("href", "/forgot-password");
  await Promise.all([signedIn.close(), context.close(), again.close()]);
});

test("an invitation is refused until the invitee's email is verified, then accepted", async ({ browser }) => {
  const adminContext = await newContext(browser);
  const admin = await adminContext.newPage();
  await signUp(admin, newAccount("Admin"));
  await admin.goto("/orgs/new");
  await admin.getByLabel("Organization name").fill(`Verified Only ${Date.now()}`);
  await admin.getByRole("button", { name: "Create organization" }).click();
  await expect(admin).toHaveURL(/\/orgs\/[a-z0-9-]+\/models$/);
  const slug = new URL(admin.url()).pathname.split("/")[2]!;
  const invitee: Account = newAccount("Invitee");
  await admin.goto(`/orgs/${slug}/members`);
  await admin.getByLabel("Email").fill(invitee.email);
  await admin.getByLabel("Role").first().selectOption("admin");
  await admin.getByRole("button", { name: "Invite", exact: true }).click();
  const inviteLink = await admin.getByRole("textbox", { name: "Invitation link" }).inputValue();

  const context = await newContext(browser);
  const page = await context.newPage();
  await signUp(page, invitee);
  await page.goto(inviteLink);
  await expect(page.locator("main").getByRole("alert")).toContainText("Verify your email address before accepting");
  await expect(page.getByRole("button", { name: "Accept invitation" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Resend verification email" })).toBeVisible();

  await page.goto(linkIn(await mailTo(invitee.email, "Verify your email address for BYOK")));
  await page.getByRole("button", { name: "Verify email" }).click();
  await expect(page.getByRole("status")).toContainText("is verified");
  await page.goto(inviteLink);
  await page.getByRole("button", { name: "Accept invitation" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${slug}/models$`));
  await Promise.all([adminContext.close(), context.close()]);
});

test("screenshots: /forgot-password and the reset page, light and dark, desktop and 390 px", async ({ browser }) => {
  test.setTimeout(240_000);
  for (const [scheme, width] of [
    ["light", 1280],
    ["dark", 1280],
    ["light", 390],
    ["dark", 390],
  ] as const) {
    // An account per picture: reset requests are limited per email.
    const setup = await newContext(browser);
    const account = newAccount("Pictured");
    await signUp(await setup.newPage(), account);
    await setup.close();
    const context = await newContext(browser, { colorScheme: scheme, viewport: { width, height: width === 390 ? 844 : 800 } });
    const page = await context.newPage();
    await page.goto("/forgot-password");
    await page.getByLabel("Email").fill(account.email);
    await page.screenshot({ path: path.join(shots, `forgot-password-${scheme}-${width}.png`), fullPage: true });
    const before = sink.messages.length;
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByRole("status")).toBeVisible();
    await page.screenshot({ path: path.join(shots, `forgot-password-sent-${scheme}-${width}.png`), fullPage: true });
    await page.goto(linkIn(await mailTo(account.email, "Reset your BYOK password", before)));
    await page.getByRole("button", { name: "Reset password" }).click();
    await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
    await page.screenshot({ path: path.join(shots, `reset-password-${scheme}-${width}.png`), fullPage: true });
    await context.close();
  }
});
