import { expect, type Page } from "@playwright/test";

/** A Tokens page (personal by default, or an organization's `/orgs/<slug>/tokens`): create, read the one-time token, revoke. */
export class TokensPage {
  constructor(
    readonly page: Page,
    readonly path = "/agent/tokens",
  ) {}

  async goto() {
    await this.page.goto(this.path);
    await expect(this.page.getByRole("heading", { name: "Tokens", exact: true })).toBeVisible();
  }

  /** Creates a token and returns it, read from the "New token" field. */
  async create(name: string, expires?: string): Promise<string> {
    await this.goto();
    await this.page.getByLabel("Token name").fill(name);
    if (expires) await this.page.getByLabel("Expires").selectOption({ label: expires });
    await this.page.getByRole("button", { name: "Create token" }).click();
    const field = this.page.getByRole("textbox", { name: "New token" });
    await expect(field).toHaveValue(/^byok_[A-Za-z0-9_-]{43}$/);
    await expect(field).toHaveAttribute("readonly", "");
    return field.inputValue();
  }

  /** The "Expires" select on the create form. */
  expiry() {
    return this.page.getByLabel("Expires");
  }

  row(name: string) {
    return this.page.getByRole("row").filter({ has: this.page.getByRole("rowheader", { name, exact: true }) });
  }

  async revoke(name: string) {
    await this.row(name)
      .getByRole("button", { name: `Revoke ${name}` })
      .click();
    await this.page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
    await expect(this.row(name).getByText("Revoked", { exact: true })).toBeVisible();
  }
}
