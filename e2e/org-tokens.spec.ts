/**
 * Org tokens outlive nobody: an admin creates one (the form defaults to 90 days, the list says who
 * created it); the owner sees, before removing or demoting the admin, that their token will be
 * revoked; after the removal it is listed as revoked and refused. Screenshots in e2e/.artifacts/.
 */
import path from "node:path";
import { clientAddressHeaders, expect, newAccount, signUp, test } from "./fixtures";
import { TokensPage } from "./pages/tokens-page";
import { fetchConfig } from "./config-client";

const shots = path.join(__dirname, ".artifacts");

test("an admin's org tokens are revoked when they are removed, and the owner is told first", async ({ browser }) => {
  test.slow(); // two accounts, two browsers
  const baseURL = process.env.E2E_BASE_URL;
  const ownerContext = await browser.newContext({
    baseURL,
    viewport: { width: 1280, height: 900 },
    extraHTTPHeaders: clientAddressHeaders(),
  });
  const adminContext = await browser.newContext({ baseURL, extraHTTPHeaders: clientAddressHeaders() });
  const owner = await ownerContext.newPage();
  const admin = await adminContext.newPage();
  const ownerAccount = newAccount("Owner");
  const adminAccount = newAccount("Ada");

  // The owner creates an organization and invites an admin, who accepts.
  await signUp(owner, ownerAccount);
  await owner.goto("/orgs/new");
  await owner.getByLabel("Organization name").fill(`Tokens ${adminAccount.email.slice(5, 13)}`);
  await owner.getByRole("button", { name: "Create organization" }).click();
  await expect(owner).toHaveURL(/\/orgs\/[a-z0-9-]+\/models$/);
  const slug = new URL(owner.url()).pathname.split("/")[2]!;
  await owner.goto(`/orgs/${slug}/members`);
  await owner.getByLabel("Email").fill(adminAccount.email);
  await owner.getByLabel("Role").first().selectOption("admin");
  await owner.getByRole("button", { name: "Invite" }).click();
  const link = await owner.getByRole("textbox", { name: "Invitation link" }).inputValue();
  await signUp(admin, adminAccount);
  await admin.goto(new URL(link).pathname);
  await admin.getByRole("button", { name: "Accept invitation" }).click();
  await expect(admin).toHaveURL(new RegExp(`/orgs/${slug}/models$`));

  // The admin creates an org token: 90 days unless they choose otherwise; "Created by" names them.
  const adminTokens = new TokensPage(admin, `/orgs/${slug}/tokens`);
  await adminTokens.goto();
  await expect(adminTokens.expiry()).toHaveValue("90");
  await expect(adminTokens.expiry().getByRole("option", { name: "Never" })).toHaveCount(1);
  const token = await adminTokens.create("deploy bot");
  await expect(adminTokens.row("deploy bot")).toContainText(`${adminAccount.name} (you)`);
  await expect(adminTokens.row("deploy bot")).toContainText(/in 3 months|in 90 days/);
  const before = await fetchConfig(admin.request, token);
  expect(before.status()).toBe(404); // authenticated; the org has no default yet

  // Leaving would say so too (cancelled here).
  await admin.goto(`/orgs/${slug}/members`);
  await admin.getByRole("button", { name: "Leave organization" }).click();
  await expect(admin.getByRole("alertdialog")).toContainText("Your 1 org token will be revoked.");
  await admin.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();

  // The owner's view of the org tokens page: a token of their own (never expires), and the admin's.
  const ownerTokens = new TokensPage(owner, `/orgs/${slug}/tokens`);
  await ownerTokens.create("owner bot", "Never");
  await expect(owner.getByRole("columnheader", { name: "Created by" })).toBeVisible();
  await expect(ownerTokens.row("deploy bot")).toContainText(adminAccount.name);
  await expect(ownerTokens.row("owner bot")).toContainText(`${ownerAccount.name} (you)`);
  await owner.reload();
  await owner.screenshot({ path: path.join(shots, "org-tokens.png"), fullPage: true });

  // Demoting the admin to member asks first (cancelled: nothing changes).
  await owner.goto(`/orgs/${slug}/members`);
  const row = owner.getByRole("row").filter({ hasText: adminAccount.email });
  await row.getByLabel("Role").selectOption("member");
  const demote = owner.getByRole("alertdialog");
  await expect(demote).toContainText(`Make ${adminAccount.name} a member?`);
  await expect(demote).toContainText("Their 1 org token will be revoked.");
  await owner.screenshot({ path: path.join(shots, "org-demote-dialog.png") });
  await demote.getByRole("button", { name: "Cancel" }).click();
  await expect(row.getByLabel("Role")).toHaveValue("admin");
  await expect(row.getByLabel("Role")).toBeFocused();

  // Removing them says how many tokens go with them.
  await row.getByRole("button", { name: "Remove" }).click();
  const dialog = owner.getByRole("alertdialog");
  await expect(dialog).toContainText("Their 1 org token will be revoked.");
  await owner.screenshot({ path: path.join(shots, "org-remove-dialog.png") });
  await dialog.getByRole("button", { name: "Remove" }).click();
  await expect(owner.getByText(/removed from .* · 1 org token revoked/)).toBeVisible();
  await expect(owner.getByRole("row").filter({ hasText: adminAccount.email })).toHaveCount(0);

  // The token is listed as revoked, still naming its creator, and refused; the owner's is not.
  await ownerTokens.goto();
  await expect(ownerTokens.row("deploy bot")).toContainText("Revoked");
  await expect(ownerTokens.row("deploy bot")).toContainText(adminAccount.name);
  await expect(ownerTokens.row("owner bot")).toContainText("Active");
  const after = await fetchConfig(owner.request, token);
  expect(after.status()).toBe(401);

  // The activity log records the count.
  await owner.goto(`/orgs/${slug}/activity`);
  await expect(owner.getByText(`removed ${adminAccount.name} from the organization (1 org token revoked)`)).toBeVisible();

  // Phone width and dark mode, for the record.
  await owner.emulateMedia({ colorScheme: "dark" });
  await ownerTokens.goto();
  await owner.setViewportSize({ width: 390, height: 844 });
  expect(await owner.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await owner.screenshot({ path: path.join(shots, "org-tokens-phone-dark.png"), fullPage: true });

  await ownerContext.close();
  await adminContext.close();
});
