import { expect, type Locator, type Page } from "@playwright/test";

/** A Profiles page (personal by default, or an organization's `/orgs/<slug>/profiles`), as a user sees it. */
export class ProfilesPage {
  constructor(
    readonly page: Page,
    readonly path = "/agent/profiles",
  ) {}

  async goto() {
    await this.page.goto(this.path);
    await expect(this.page.getByRole("heading", { name: "Profiles", exact: true })).toBeVisible();
  }

  /** A profile's region, named by the profile. */
  profile(name: string): Locator {
    return this.page.getByRole("region", { name, exact: true });
  }

  /** The profile's models, in order. */
  entries(name: string): Locator {
    return this.profile(name).getByRole("listitem");
  }

  entry(name: string, model: string): Locator {
    return this.entries(name).filter({ has: this.page.getByText(model, { exact: true }) });
  }

  /** The models' names, in the page's order. */
  async order(name: string): Promise<string[]> {
    return this.entries(name).locator("code").allTextContents();
  }

  preview(name: string): Locator {
    return this.profile(name).getByTestId("profile-preview");
  }

  async create(name: string) {
    await this.page.getByLabel("Profile name").fill(name);
    await this.page.getByRole("button", { name: "Create profile" }).click();
    await expect(this.profile(name)).toBeVisible();
  }

  /** "Add model": a credential by its option label, and a model (the credential's own when omitted). */
  async addModel(name: string, provider: string, model?: string) {
    const region = this.profile(name);
    const before = await this.entries(name).count();
    await region.getByLabel("Provider").selectOption({ label: provider });
    if (model !== undefined) await region.getByLabel("Model Type").fill(model);
    await region.getByRole("button", { name: "Add model" }).click();
    await expect(this.entries(name)).toHaveCount(before + 1);
  }

  async delete(name: string) {
    await this.profile(name).getByRole("button", { name: "Delete profile" }).click();
    await this.page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
    await expect(this.profile(name)).toHaveCount(0);
  }
}
