import { expect, type Page } from "@playwright/test";

/** An Alerts page (personal `/agent/alerts` or an organization's `/orgs/<slug>/alerts`). */
export class AlertsPage {
  constructor(
    readonly page: Page,
    readonly path = "/agent/alerts",
  ) {}

  async goto() {
    await this.page.goto(this.path);
    await expect(this.page.getByRole("heading", { name: "Alerts", exact: true })).toBeVisible();
  }

  /** Adds a webhook with a generated secret (all events checked); returns the secret as shown before saving. */
  async addWebhook(url: string): Promise<string> {
    await this.page.getByLabel("Webhook URL").fill(url);
    await this.page.getByRole("button", { name: "Generate" }).click();
    const secret = await this.page.getByLabel("Secret").inputValue();
    expect(secret.length).toBeGreaterThanOrEqual(16);
    await this.page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(this.page.getByText("Webhook saved")).toBeVisible();
    await expect(this.page.getByLabel("Secret")).toHaveValue("");
    return secret;
  }

  webhook(url: string) {
    return this.page.getByRole("list", { name: "Webhooks" }).getByRole("listitem").filter({ hasText: url });
  }

  async sendTestEvent(url: string) {
    await this.webhook(url).getByRole("button", { name: "Send test event" }).click();
    // Sent at once: "Test event delivered (HTTP 200)", or "Test event queued: …" when it failed and will be retried.
    await expect(this.page.getByText(/^Test event (delivered|queued)/)).toBeVisible();
  }

  /** Rows of the delivery log, newest first. */
  deliveries() {
    return this.page
      .getByRole("table", { name: /Webhook deliveries/ })
      .getByRole("row")
      .filter({ has: this.page.getByRole("cell") });
  }
}
