/**
 * Budgets end to end: an admin sets a monthly request limit on an org credential on the Budgets
 * page; an agent calls the gateway with the official OpenAI SDK until it is refused (429
 * budget_exceeded); the banner shows at 80 %; raising the limit lets calls through again.
 */
import path from "node:path";
import OpenAI from "openai";
import { emulatorKey } from "./emulator";
import { expect, signUp, test } from "./fixtures";
import { ModelsPage } from "./pages/models-page";
import { TokensPage } from "./pages/tokens-page";

const shots = path.join(__dirname, ".artifacts");
const CARD = "OpenAI (gpt-4o-mini)";

test("a budget on an org credential holds through the gateway, warns at 80 % and lifts when raised", async ({ page, account }) => {
  test.setTimeout(120_000);
  await signUp(page, account);
  await page.goto("/orgs/new");
  await page.getByLabel("Organization name").fill(`Budget ${account.email.slice(5, 13)}`);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(/\/orgs\/[a-z0-9-]+\/models$/);
  const slug = new URL(page.url()).pathname.split("/")[2]!;
  const models = new ModelsPage(page);
  await models.fill("OpenAI", { key: emulatorKey("valid", "sk-proj-"), host: models.host("openai"), model: "gpt-4o-mini" });
  await models.save("OpenAI");
  await models.expectStatus("OpenAI", "Valid");
  const token = await new TokensPage(page).create("budget agent");

  // The agent learns the gateway address from its config (org credentials are gateway-only by default).
  const config = (await (
    await page.request.get("/api/v1/config?provider=openai", { headers: { authorization: `Bearer ${token}` } })
  ).json()) as { delivery: string; apiHost: string; apiKey: string };
  expect(config.delivery).toBe("gateway");
  const client = new OpenAI({ baseURL: config.apiHost, apiKey: config.apiKey, maxRetries: 0 });
  const ask = () => client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], max_tokens: 1 });

  // Empty budget page first: every row says "No budget"; the key-mode note is there.
  await page.goto(`/orgs/${slug}/budgets`);
  await expect(page.getByRole("heading", { name: "Budgets", exact: true })).toBeVisible();
  await expect(page.getByText("a released key (key mode) cannot be metered")).toBeVisible();
  const row = page.getByRole("region", { name: CARD });
  await expect(row.getByText("No budget")).toBeVisible();
  await row.getByLabel("Monthly request limit").fill("abc");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByText("Monthly request limit must be a whole number.")).toBeVisible();
  await row.getByLabel("Monthly request limit").fill("5");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(`Budget saved for ${CARD}`)).toBeVisible();
  await expect(row.getByRole("progressbar", { name: "Requests this month" })).toHaveAttribute("aria-valuenow", "0");

  for (let i = 0; i < 4; i++) await ask();
  await page.reload();
  const banner = page.locator('[data-banner="budgets"]');
  await expect(banner).toContainText("A monthly budget is almost used up");
  await expect(banner).toContainText(new RegExp(`${CARD.replace(/[()]/g, "\\$&")} in Budget \\w+: 80 % of its monthly request limit`));
  await expect(banner.getByRole("link", { name: "Open Budgets" })).toHaveAttribute("href", `/orgs/${slug}/budgets`);
  await expect(row.getByRole("progressbar", { name: "Requests this month" })).toHaveAttribute("aria-valuenow", "80");
  await page.screenshot({ path: path.join(shots, "budgets-light.png"), fullPage: true });

  await ask();
  const refused = await ask().then(
    () => null,
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(OpenAI.APIError);
  const apiError = refused as InstanceType<typeof OpenAI.APIError>;
  expect(apiError.status).toBe(429);
  expect(apiError.code).toBe("budget_exceeded");
  expect(Number(apiError.headers?.get("retry-after"))).toBeGreaterThan(0);

  await page.reload();
  await expect(banner).toContainText("A monthly budget is used up");
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await expect(row.getByRole("progressbar", { name: "Requests this month" })).toHaveAttribute("aria-valuenow", "100");
  await page.screenshot({ path: path.join(shots, "budgets-dark.png"), fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });

  // Raised: calls work again.
  await row.getByLabel("Monthly request limit").fill("20");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(`Budget saved for ${CARD}`)).toBeVisible();
  await expect((await ask()).choices).toHaveLength(1);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(row.getByLabel("Monthly token limit")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.screenshot({ path: path.join(shots, "budgets-phone.png"), fullPage: true });

  // The activity log has the budget's entries.
  await page.goto(`/orgs/${slug}/activity`);
  await expect(page.getByRole("listitem").filter({ hasText: "monthly budget reached 80 % (4 of 5 requests)" })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "monthly budget is spent (5 of 5 requests)" })).toBeVisible();

  // Remove: the row says "No budget" again.
  await page.goto(`/orgs/${slug}/budgets`);
  await row.getByRole("button", { name: "Remove" }).click();
  await expect(page.getByText(`Budget removed for ${CARD}`)).toBeVisible();
  await expect(row.getByText("No budget")).toBeVisible();
});

test("a user's own token budget on /agent/budgets", async ({ page, account }) => {
  await signUp(page, account);
  await page.goto("/agent/budgets");
  await expect(page.getByText("No tokens yet")).toBeVisible();
  await new TokensPage(page).create("laptop");
  await page.goto("/agent/budgets");
  const row = page.getByRole("region", { name: "laptop" });
  await row.getByLabel("Monthly token limit").fill("2,000,000");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Budget saved for laptop")).toBeVisible();
  await expect(row.getByRole("progressbar", { name: "Tokens this month" })).toHaveAttribute("aria-valuetext", "0 of 2,000,000 tokens");
  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.screenshot({ path: path.join(shots, "agent-budgets-phone-dark.png"), fullPage: true });
});
