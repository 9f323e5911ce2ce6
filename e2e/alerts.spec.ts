/**
 * Org alerts end to end: an owner adds a webhook pointing at a receiver this test runs on
 * 127.0.0.1, clicks "Send test event", and sees it delivered (200) in the delivery log, while the
 * receiver got a POST whose signature verifies with the secret from the form. The secret never
 * comes back to the page after saving. Screenshots (light, dark, desktop, phone) in e2e/.artifacts/.
 */
import path from "node:path";
import { verifyWebhookSignature } from "@/lib/alerts/signature";
import { startReceiver } from "@/lib/alerts/test-receiver";
import { expect, signUp, test } from "./fixtures";
import { AlertsPage } from "./pages/alerts-page";

const shots = path.join(__dirname, ".artifacts");

test("an owner's test event reaches their webhook, signed, and the log shows it delivered with 200", async ({ page, account }) => {
  const receiver = await startReceiver([200]);
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signUp(page, account);
    await page.goto("/orgs/new");
    await page.getByLabel("Organization name").fill(`Alerts ${account.email.slice(5, 13)}`);
    await page.getByRole("button", { name: "Create organization" }).click();
    await expect(page).toHaveURL(/\/orgs\/[a-z0-9-]+\/models$/);
    const slug = new URL(page.url()).pathname.split("/")[2]!;

    // The organization's own "Alerts" (the personal one is in the Main navigation).
    await page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Alerts" }).click();
    await expect(page).toHaveURL(new RegExp(`/orgs/${slug}/alerts$`));
    const alerts = new AlertsPage(page, `/orgs/${slug}/alerts`);
    await expect(page.getByText("No webhooks yet")).toBeVisible();
    for (const name of ["credential.invalid", "credential.quota", "budget.threshold", "budget.exceeded", "token.expiring"]) {
      await expect(page.getByRole("checkbox", { name: new RegExp(name.replace(".", "\\.")) })).toBeChecked();
    }

    // A private address that is not allow-listed is refused with a message under the field.
    await page.getByLabel("Webhook URL").fill("https://10.0.0.7/hook");
    await page.getByLabel("Secret").fill("a-long-enough-secret-value");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByText(/cannot receive webhooks: .*private address/)).toBeVisible();

    const secret = await alerts.addWebhook(receiver.url);
    await expect(alerts.webhook(receiver.url)).toContainText(`Secret …${secret.slice(-4)}`);

    await alerts.sendTestEvent(receiver.url);
    const [request] = await receiver.waitFor(1);
    expect(request!.headers["x-byok-event"]).toBe("test");
    expect(verifyWebhookSignature({ secret, header: request!.headers["x-byok-signature"], body: request!.body })).toBe(true);
    expect(JSON.parse(request!.body)).toMatchObject({ type: "test", org: { slug } });

    const row = alerts.deliveries().first();
    await expect(row).toContainText("test");
    await expect(row).toContainText("Delivered");
    await expect(row.getByRole("cell").nth(4)).toHaveText("200");

    // Saved secrets never come back: not in the page after a reload.
    await page.reload();
    expect(await page.content()).not.toContain(secret);
    await expect(alerts.deliveries().first()).toContainText("Delivered");

    await page.screenshot({ path: path.join(shots, "alerts-light.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: path.join(shots, "alerts-dark.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(shots, "alerts-phone-dark.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });
    await page.screenshot({ path: path.join(shots, "alerts-phone-light.png"), fullPage: true });
  } finally {
    await receiver.close();
  }
});
