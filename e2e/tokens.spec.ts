import { expect, signUp, test } from "./fixtures";
import { TokensPage } from "./pages/tokens-page";
import { fetchConfig } from "./config-client";

test("a token is shown once, listed by its hint, and refused right after Revoke", async ({ page, account }) => {
  await signUp(page, account);
  const tokens = new TokensPage(page);
  const token = await tokens.create("build bot", "In 30 days");
  await expect(page.getByText("will not show this token again")).toBeVisible();

  const row = tokens.row("build bot");
  await expect(row).toContainText(`byok_…${token.slice(-4)}`);
  await expect(row).toContainText("Active");
  await expect(row).toContainText("Never"); // last used

  // The agent can use it (no default yet → 404, but authenticated).
  const before = await fetchConfig(page.request, token);
  expect(before.status()).toBe(404);

  // Never shown again: not after a reload, not in the HTML.
  await page.reload();
  await expect(page.getByLabel("New token")).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  // Last use is written in batches every few seconds (no write per request).
  await expect
    .poll(
      async () => {
        await page.reload();
        return tokens.row("build bot").innerText();
      },
      { timeout: 15_000, intervals: [1000] },
    )
    .toMatch(/just now|minute/);

  await tokens.revoke("build bot");
  const after = await fetchConfig(page.request, token);
  expect(after.status()).toBe(401);
  expect(await after.json()).toEqual({ error: { code: "unauthorized", message: "Missing, invalid, expired or revoked agent token." } });
});

test("a token needs a name", async ({ page, account }) => {
  await signUp(page, account);
  const tokens = new TokensPage(page);
  await tokens.goto();
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText("Give the token a name")).toBeVisible();
  await expect(page.getByLabel("New token")).toHaveCount(0);
});
