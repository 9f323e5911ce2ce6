/**
 * Invitation emails link to APP_URL only: a request that claims another host (X-Forwarded-Host)
 * cannot make BYOK's own mail server send a link to it. Runs its own server with a real SMTP sink.
 */
import { startSmtpSink, type SmtpSink } from "../test/smtp-sink";
import { startAppServer, type AppServer } from "./app-server";
import { expect, newAccount, signUp, test } from "./fixtures";

let sink: SmtpSink;
let server: AppServer;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  sink = await startSmtpSink();
  server = await startAppServer(
    "invitation-mail",
    { SMTP_URL: sink.url, SMTP_FROM: "BYOK <no-reply@byok.example.com>", APP_URL: "https://byok.example.com" },
    140_000,
  );
});

test.afterAll(async () => {
  await server?.stop();
  await sink?.close();
});

test("an invitation sent with a forged X-Forwarded-Host still links to APP_URL", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await signUp(page, newAccount("Mailer"));
  await page.goto("/orgs/new");
  await page.getByLabel("Organization name").fill(`Mailers ${Date.now()}`);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(/\/orgs\/[a-z0-9-]+\/models$/);
  const slug = new URL(page.url()).pathname.split("/")[2]!;

  await page.goto(`/orgs/${slug}/members`);
  await page.getByLabel("Email").fill("victim@example.test");
  await page.getByLabel("Role").first().selectOption("member");
  // The invite is sent the way a crafted client would: Origin and X-Forwarded-Host both claim evil.example
  // (matching, so Next's server-action origin check lets it through).
  // route.fetch sends it outside the browser, so the Origin header can be set like any other.
  await page.route("**/orgs/**", async (route) => {
    const headers = { ...(await route.request().allHeaders()), origin: "http://evil.example", "x-forwarded-host": "evil.example" };
    await route.fulfill({ response: await route.fetch({ headers }) });
  });
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  const shown = await page.getByRole("textbox", { name: "Invitation link" }).inputValue();

  const mail = await sink.waitFor("victim@example.test");
  expect(mail.from).toContain("no-reply@byok.example.com");
  const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
  expect(links).toEqual([expect.stringMatching(/^https:\/\/byok\.example\.com\/invite\/byoki_[A-Za-z0-9_-]{43}$/)]);
  expect(mail.text).not.toContain("evil.example");
  expect(shown).toBe(links[0]);
  await context.close();
});
