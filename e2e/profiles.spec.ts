/**
 * Model profiles end to end: a user builds `coder` from two providers saved against the emulator,
 * reorders it with the keyboard, and an agent's `?profile=coder` answers in the page's order; an
 * org admin's profile is read-only for a member, whose personal token still resolves it.
 */
import type { APIRequestContext, Page } from "@playwright/test";
import { emulatorKey } from "./emulator";
import { clientAddressHeaders, expect, newAccount, signUp, test } from "./fixtures";
import { ModelsPage } from "./pages/models-page";
import { ProfilesPage } from "./pages/profiles-page";
import { TokensPage } from "./pages/tokens-page";

async function config(request: APIRequestContext, token: string, profile: string) {
  const res = await request.get(`/api/v1/config?profile=${profile}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status(), body: (await res.json()) as Record<string, unknown> };
}

async function noHorizontalOverflow(page: Page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll).toBeLessThanOrEqual(width);
}

/** Light, dark and phone-width screenshots for a look by a human (PROFILES_SCREENSHOTS=1). */
async function screenshots(page: Page, profiles: ProfilesPage) {
  if (!process.env.PROFILES_SCREENSHOTS) return;
  await page.screenshot({ path: "/tmp/profiles-light.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "/tmp/profiles-dark.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 390, height: 844 });
  await profiles.goto();
  await page.screenshot({ path: "/tmp/profiles-phone.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
}

test("a profile from two providers, reordered by keyboard, answers ?profile= in the page's order", async ({ page, account }) => {
  await signUp(page, account);
  const models = new ModelsPage(page);
  await models.fill("OpenAI", { key: emulatorKey("valid"), host: models.host("openai"), model: "gpt-4o-mini" });
  await models.save("OpenAI");
  await models.expectStatus("OpenAI", "Valid");
  await models.fill("DeepSeek", { key: emulatorKey("valid", "sk-"), host: models.host("deepseek"), model: "deepseek-chat" });
  await models.save("DeepSeek");
  await models.expectStatus("DeepSeek", "Valid");

  const profiles = new ProfilesPage(page);
  await page.getByRole("link", { name: "Profiles" }).first().click();
  await expect(page.getByRole("heading", { name: "Profiles", exact: true })).toBeVisible();
  await expect(page.getByText("No profiles yet")).toBeVisible();
  await page.getByLabel("Profile name").fill("Not a slug!");
  await page.getByRole("button", { name: "Create profile" }).click();
  await expect(page.getByText(/Use lowercase letters, digits and dashes/)).toBeVisible();
  await profiles.create("coder");
  await expect(page.getByText("Profile “coder” created")).toBeVisible();
  await expect(profiles.preview("coder")).toHaveText("An agent asking for coder gets nothing yet: add a model.");

  // "Model Type" starts at the credential's own model and suggests the credential's model list.
  const coder = profiles.profile("coder");
  await coder.getByLabel("Provider").selectOption({ label: "OpenAI — Personal · gpt-4o-mini" });
  await expect(coder.getByLabel("Model Type")).toHaveValue("gpt-4o-mini");
  await expect(coder.getByText(/\d+ models available with this key/)).toBeVisible();
  await expect(coder.locator('datalist option[value="o3-mini"]')).toHaveCount(1);
  await profiles.addModel("coder", "OpenAI — Personal · gpt-4o-mini");
  await profiles.addModel("coder", "DeepSeek — Personal · deepseek-chat", "deepseek-reasoner");
  await profiles.addModel("coder", "OpenAI — Personal · gpt-4o-mini", "gpt-4.1");
  expect(await profiles.order("coder")).toEqual(["gpt-4o-mini", "deepseek-reasoner", "gpt-4.1"]);
  await expect(profiles.preview("coder")).toHaveText(
    "An agent asking for coder gets OpenAI · gpt-4o-mini, then DeepSeek · deepseek-reasoner, OpenAI · gpt-4.1 as fallbacks.",
  );
  await expect(profiles.entry("coder", "gpt-4o-mini").getByRole("button", { name: "Move up" })).toBeDisabled();
  await expect(profiles.entry("coder", "gpt-4.1").getByRole("button", { name: "Move down" })).toBeDisabled();

  // Keyboard: Enter on "Move down" moves the entry and keeps focus on it, so Enter again moves it on.
  const moveDown = profiles.entry("coder", "gpt-4o-mini").getByRole("button", { name: "Move down" });
  await moveDown.focus();
  await page.keyboard.press("Enter");
  await expect.poll(() => profiles.order("coder")).toEqual(["deepseek-reasoner", "gpt-4o-mini", "gpt-4.1"]);
  await expect(moveDown).toBeFocused();
  await page.keyboard.press("Enter");
  await expect.poll(() => profiles.order("coder")).toEqual(["deepseek-reasoner", "gpt-4.1", "gpt-4o-mini"]);
  // Now last: its "Move down" is disabled and focus moved to its "Move up".
  await expect(moveDown).toBeDisabled();
  await expect(profiles.entry("coder", "gpt-4o-mini").getByRole("button", { name: "Move up" })).toBeFocused();
  await expect(profiles.preview("coder")).toHaveText(
    "An agent asking for coder gets DeepSeek · deepseek-reasoner, then OpenAI · gpt-4.1, OpenAI · gpt-4o-mini as fallbacks.",
  );
  // The order is stored, not only shown.
  await page.reload();
  expect(await profiles.order("coder")).toEqual(["deepseek-reasoner", "gpt-4.1", "gpt-4o-mini"]);

  await profiles.entry("coder", "gpt-4.1").getByRole("button", { name: "Remove" }).click();
  await expect(profiles.entries("coder")).toHaveCount(2);
  await expect(profiles.preview("coder")).toHaveText(
    "An agent asking for coder gets DeepSeek · deepseek-reasoner, then OpenAI · gpt-4o-mini as fallback.",
  );
  await noHorizontalOverflow(page);
  await screenshots(page, profiles);

  // The agent gets the first entry, and the other as its fallback.
  const token = await new TokensPage(page).create("profile agent");
  const answer = await config(page.request, token, "coder");
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ profile: "coder", provider: "deepseek", model: "deepseek-reasoner", delivery: "key" });
  expect(answer.body.fallbacks).toHaveLength(1);
  expect(answer.body.fallbacks).toMatchObject([{ provider: "openai", model: "gpt-4o-mini" }]);
  expect(await config(page.request, token, "nope")).toMatchObject({ status: 404, body: { error: { code: "profile_not_found" } } });

  await profiles.goto();
  await profiles.delete("coder");
  await expect(page.getByText("Profile “coder” deleted")).toBeVisible();
  expect(await config(page.request, token, "coder")).toMatchObject({ status: 404, body: { error: { code: "profile_not_found" } } });
});

test("an org profile is read-only for a member, whose personal token resolves it", async ({ browser }) => {
  const baseURL = process.env.E2E_BASE_URL;
  const adminContext = await browser.newContext({ baseURL, extraHTTPHeaders: clientAddressHeaders() });
  const memberContext = await browser.newContext({ baseURL, extraHTTPHeaders: clientAddressHeaders() });
  const admin = await adminContext.newPage();
  const member = await memberContext.newPage();
  const memberAccount = newAccount("Member");

  await signUp(admin, newAccount("Admin"));
  await admin.goto("/orgs/new");
  const orgName = `Profiles ${memberAccount.email.slice(5, 13)}`;
  await admin.getByLabel("Organization name").fill(orgName);
  await admin.getByRole("button", { name: "Create organization" }).click();
  await expect(admin).toHaveURL(/\/orgs\/[a-z0-9-]+\/models$/);
  const slug = new URL(admin.url()).pathname.split("/")[2]!;
  const models = new ModelsPage(admin);
  await models.fill("OpenAI", { key: emulatorKey("valid"), host: models.host("openai"), model: "gpt-4o" });
  await models.save("OpenAI");
  await models.expectStatus("OpenAI", "Valid");

  const orgProfiles = new ProfilesPage(admin, `/orgs/${slug}/profiles`);
  await orgProfiles.goto();
  await orgProfiles.create("draft");
  await orgProfiles.profile("draft").getByRole("button", { name: "Rename" }).click();
  await orgProfiles.profile("draft").getByLabel("Profile name").fill("team");
  await orgProfiles.profile("draft").getByRole("button", { name: "Save" }).click();
  await expect(orgProfiles.profile("team")).toBeVisible();
  await expect(orgProfiles.profile("draft")).toHaveCount(0);
  await orgProfiles.addModel("team", `OpenAI — ${orgName} · gpt-4o`, "gpt-4o-mini");

  await admin.goto(`/orgs/${slug}/members`);
  await admin.getByLabel("Email").fill(memberAccount.email);
  await admin.getByLabel("Role").first().selectOption("member");
  await admin.getByRole("button", { name: "Invite" }).click();
  const link = await admin.getByRole("textbox", { name: "Invitation link" }).inputValue();
  await signUp(member, memberAccount);
  await member.goto(new URL(link).pathname);
  await member.getByRole("button", { name: "Accept invitation" }).click();
  await expect(member).toHaveURL(new RegExp(`/orgs/${slug}/models$`));

  // The member reads the profile: its models and preview, no edit controls.
  const seen = new ProfilesPage(member, `/orgs/${slug}/profiles`);
  await seen.goto();
  await expect(seen.profile("team")).toBeVisible();
  expect(await seen.order("team")).toEqual(["gpt-4o-mini"]);
  await expect(seen.preview("team")).toHaveText("An agent asking for team gets OpenAI · gpt-4o-mini.");
  await expect(seen.profile("team").getByRole("button")).toHaveCount(0);
  await expect(member.getByRole("button", { name: "Move up" })).toHaveCount(0);
  await expect(member.getByRole("button", { name: "Create profile" })).toHaveCount(0);

  // Their personal token falls back to the org's profile (no personal one of that name).
  const token = await new TokensPage(member).create("member agent");
  const answer = await config(member.request, token, "team");
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ profile: "team", provider: "openai", model: "gpt-4o-mini", delivery: "gateway", apiKey: token });
  expect(answer.body.fallbacks).toEqual([]);
  await adminContext.close();
  await memberContext.close();
});
