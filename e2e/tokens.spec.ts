import dotenv from "dotenv";
import { emulatorKey } from "./emulator";
import { expect, signUp, test } from "./fixtures";
import { ModelsPage } from "./pages/models-page";
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

test("a new token comes with snippets that work: curl, .env, SDKs; copy buttons; gone after a reload", async ({
  page,
  context,
  account,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUp(page, account);
  const models = new ModelsPage(page);
  const key = emulatorKey("valid");
  await models.fill("OpenAI", { key, host: models.host("openai"), model: "gpt-4o-mini" });
  await models.save("OpenAI");
  await models.expectStatus("OpenAI", "Valid");
  await models.card("OpenAI").getByRole("button", { name: "Set as Default" }).click();
  await expect(models.card("OpenAI").getByText("Default", { exact: true })).toBeVisible();

  const tokens = new TokensPage(page);
  const token = await tokens.create("snippet agent");
  // No APP_URL in the e2e server: the page's own origin.
  const origin = new URL(page.url()).origin;
  const tabs = page.getByRole("tablist", { name: "Use this token" });
  const names = ["curl", ".env", "Python · OpenAI", "TypeScript · OpenAI", "TypeScript · Anthropic"];
  await expect(tabs.getByRole("tab")).toHaveText(names);
  const panel = page.getByRole("tabpanel");

  // curl (the first tab): its exact command, and the URL in it answers with the config.
  await expect(panel).toContainText(`curl -H "Authorization: Bearer ${token}" ${origin}/api/v1/config`);
  const curlUrl = /https?:\/\/\S+\/api\/v1\/config/.exec((await panel.textContent()) ?? "")![0];
  const json = await page.request.get(curlUrl, { headers: { Authorization: `Bearer ${token}` } });
  expect(json.status()).toBe(200);
  expect(await json.json()).toMatchObject({ provider: "openai", model: "gpt-4o-mini", apiKey: key });

  // Arrow keys move between tabs; .env's URL answers dotenv text with the same values.
  await tabs.getByRole("tab", { name: "curl" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(tabs.getByRole("tab", { name: ".env" })).toHaveAttribute("aria-selected", "true");
  await expect(panel).toContainText(`"${origin}/api/v1/config?format=env" > .env`);
  await expect(panel).toContainText("set -a; . ./.env; set +a");
  const envUrl = /"(https?:\/\/\S+\?format=env)"/.exec((await panel.textContent()) ?? "")![1]!;
  const env = await page.request.get(envUrl, { headers: { Authorization: `Bearer ${token}` } });
  expect(env.status()).toBe(200);
  expect(env.headers()["content-type"]).toBe("text/plain; charset=utf-8");
  expect(dotenv.parse(await env.text())).toMatchObject({ BYOK_MODEL: "gpt-4o-mini", OPENAI_API_KEY: key, BYOK_DELIVERY: "key" });

  // Copy: the whole snippet, with a toast.
  await panel.getByRole("button", { name: "Copy .env" }).click();
  await expect(page.locator("[data-sonner-toast]").getByText("Copied", { exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(`Bearer ${token}`);

  for (const name of names) {
    await tabs.getByRole("tab", { name, exact: true }).click();
    await expect(panel).toContainText(`Bearer ${token}`);
    await expect(panel).toContainText(`${origin}/api/v1/config`);
    await expect(panel.getByRole("button", { name: `Copy ${name}` })).toBeVisible();
  }
  await expect(panel).toContainText("new Anthropic({ baseURL: cfg.apiHost, apiKey: cfg.apiKey })");

  // Screenshots for review: light, dark, phone width (code scrolls inside its block, never the page).
  await tabs.getByRole("tab", { name: "Python · OpenAI" }).click();
  const block = page.getByRole("textbox", { name: "New token" }).locator("xpath=ancestor::div[contains(@class,'rounded-lg')][1]");
  await block.screenshot({ path: "/tmp/snippets-light.png" });
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.locator("html")).toHaveClass(/dark/);
  await block.screenshot({ path: "/tmp/snippets-dark.png" });
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await block.screenshot({ path: "/tmp/snippets-phone.png" });

  // Never again after a reload: no snippets, no token in the HTML.
  await page.reload();
  await expect(page.getByRole("tablist", { name: "Use this token" })).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
});
