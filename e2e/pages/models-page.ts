import { expect, type Locator, type Page } from "@playwright/test";
import { emulatorApiHost } from "../emulator";

/** The Models page and its provider cards, as a user sees them. */
export class ModelsPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/agent/models");
    await expect(this.page.getByRole("heading", { name: "Models", exact: true })).toBeVisible();
  }

  card(name: string): Locator {
    return this.page.getByRole("region", { name, exact: true });
  }

  /** The emulator's API host for a provider. */
  host(provider: string): string {
    return emulatorApiHost(process.env.E2E_EMULATOR_URL!, provider);
  }

  async fill(name: string, values: { key?: string; host?: string; model?: string }) {
    const card = this.card(name);
    if (values.key !== undefined) await card.getByLabel("API Key", { exact: true }).fill(values.key);
    if (values.host !== undefined) await card.getByLabel("API Host").fill(values.host);
    if (values.model !== undefined) await card.getByLabel("Model Type").fill(values.model);
  }

  async save(name: string) {
    const card = this.card(name);
    await card.getByRole("button", { name: "Save", exact: true }).click();
  }

  /** Set as Default, and wait for the card to say so. */
  async setDefault(name: string) {
    const card = this.card(name);
    await card.getByRole("button", { name: "Set as Default" }).click();
    await expect(card.getByText("Default", { exact: true })).toBeVisible();
  }

  alert(name: string): Locator {
    return this.card(name).getByRole("alert");
  }

  async expectStatus(name: string, status: "Not Configured" | "Valid" | "Invalid" | "Unverified") {
    await expect(this.card(name).getByText(status, { exact: true })).toBeVisible();
  }
}
