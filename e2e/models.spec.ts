import { emulatorKey } from "./emulator";
import { clientAddressHeaders, expect, newAccount, signUp, test } from "./fixtures";
import { ModelsPage } from "./pages/models-page";
import { TokensPage } from "./pages/tokens-page";
import { fetchConfig } from "./config-client";

test.describe("OpenAI card", () => {
  test("good key → Valid → Set as Default → token → the agent gets the key", async ({ page, account }) => {
    await signUp(page, account);
    const models = new ModelsPage(page);
    const card = models.card("OpenAI");
    await models.expectStatus("OpenAI", "Not Configured");
    await expect(card.getByLabel("API Host")).toHaveValue("https://api.openai.com/v1");
    await expect(card.getByLabel("API Key", { exact: true })).toHaveAttribute("type", "password");

    const key = emulatorKey("valid");
    await models.fill("OpenAI", { key, host: models.host("openai"), model: "gpt-4o-mini" });
    await card.getByRole("button", { name: "Show key" }).click();
    await expect(card.getByLabel("API Key", { exact: true })).toHaveAttribute("type", "text");
    await models.save("OpenAI");
    // The toast comes first and goes away by itself; the card's badge follows the page refresh.
    await expect(page.getByText("OpenAI saved and verified")).toBeVisible();
    await models.expectStatus("OpenAI", "Valid");
    const keyField = card.getByLabel("API Key", { exact: true });
    await expect(keyField).toHaveValue("");
    await expect(keyField).toHaveAttribute("placeholder", `sk-proj-…${key.slice(-4)}`);
    await expect(card.getByText(/Last checked/)).toBeVisible();

    await card.getByRole("button", { name: "Set as Default" }).click();
    await expect(card.getByText("Default", { exact: true })).toBeVisible();
    await expect(card.getByRole("button", { name: "Set as Default" })).toBeDisabled();

    const tokens = new TokensPage(page);
    const token = await tokens.create("laptop agent");
    const res = await fetchConfig(page.request, token);
    expect(res.status()).toBe(200);
    expect(res.headers()["cache-control"]).toBe("no-store");
    expect(await res.json()).toMatchObject({
      provider: "openai",
      providerName: "OpenAI",
      model: "gpt-4o-mini",
      apiHost: models.host("openai"),
      apiKey: key,
      status: "valid",
      source: { type: "user", name: account.name },
    });
  });

  const failures = [
    {
      what: "a bad key",
      key: () => emulatorKey("bad"),
      model: "gpt-4o",
      message: "Invalid key. Validation failed.",
      fix: /Double-check the key/,
    },
    {
      what: "a bad model",
      key: () => emulatorKey("valid"),
      model: "gpt-9-imaginary",
      message: "Invalid model name. Validation failed.",
      fix: /Verify the model name/,
    },
    {
      what: "a bad key and a bad model (key reported)",
      key: () => emulatorKey("bad"),
      model: "gpt-9-imaginary",
      message: "Invalid key. Validation failed.",
      fix: /Double-check the key/,
    },
    {
      what: "an exhausted quota",
      key: () => emulatorKey("quota"),
      model: "gpt-4o",
      message: "You exceeded your current quota",
      fix: /billing/,
    },
  ];
  for (const failure of failures) {
    test(`${failure.what} is refused with its message and fix, and nothing is stored`, async ({ page, account }) => {
      await signUp(page, account);
      const models = new ModelsPage(page);
      const key = failure.key();
      await models.fill("OpenAI", { key, host: models.host("openai"), model: failure.model });
      await models.save("OpenAI");
      const alert = models.alert("OpenAI");
      await expect(alert).toContainText(failure.message);
      await expect(alert).toContainText(failure.fix);
      await expect(alert).not.toContainText(key);
      await expect(models.card("OpenAI").getByRole("button", { name: "Save anyway" })).toHaveCount(0);
      // What was typed is kept for a correction; the card is still unconfigured.
      await expect(models.card("OpenAI").getByLabel("API Key", { exact: true })).toHaveValue(key);
      await models.expectStatus("OpenAI", "Not Configured");
      await page.reload();
      await models.expectStatus("OpenAI", "Not Configured");
    });
  }

  test("a rate limit is not called a quota problem, and Save anyway stores it as Unverified", async ({ page, account }) => {
    await signUp(page, account);
    const models = new ModelsPage(page);
    await models.fill("OpenAI", { key: emulatorKey("ratelimit"), host: models.host("openai"), model: "gpt-4o" });
    await models.save("OpenAI");
    const alert = models.alert("OpenAI");
    await expect(alert).toContainText("rate-limiting");
    await expect(alert).not.toContainText("quota");
    await alert.getByRole("button", { name: "Save anyway" }).click();
    await models.expectStatus("OpenAI", "Unverified");
  });

  test("a slow provider times out with a message naming the host", async ({ page, account }) => {
    await signUp(page, account);
    const models = new ModelsPage(page);
    await models.fill("OpenAI", { key: emulatorKey("slow"), host: models.host("openai"), model: "gpt-4o" });
    const card = models.card("OpenAI");
    await models.save("OpenAI");
    await expect(card.getByRole("button", { name: "Validating…" })).toBeDisabled();
    await expect(card.getByLabel("API Host")).toBeDisabled();
    const alert = models.alert("OpenAI");
    await expect(alert).toContainText("Could not reach 127.0.0.1", { timeout: 15_000 });
    await expect(alert).toContainText(/timed out/);
    await expect(alert.getByRole("button", { name: "Save anyway" })).toBeVisible();
  });

  test("a failed save keeps the previous valid configuration", async ({ page, account }) => {
    await signUp(page, account);
    const models = new ModelsPage(page);
    const key = emulatorKey("valid");
    await models.fill("OpenAI", { key, host: models.host("openai"), model: "gpt-4o" });
    await models.save("OpenAI");
    await models.expectStatus("OpenAI", "Valid");
    await models.fill("OpenAI", { model: "gpt-nope" });
    await models.save("OpenAI");
    await expect(models.alert("OpenAI")).toContainText("Invalid model name. Validation failed.");
    await page.reload();
    await models.expectStatus("OpenAI", "Valid");
    await expect(models.card("OpenAI").getByLabel("Model Type")).toHaveValue("gpt-4o");
  });

  test("Remove asks first, then clears the card", async ({ page, account }) => {
    await signUp(page, account);
    const models = new ModelsPage(page);
    await models.fill("OpenAI", { key: emulatorKey("valid"), host: models.host("openai"), model: "gpt-4o" });
    await models.save("OpenAI");
    await models.expectStatus("OpenAI", "Valid");
    await models.card("OpenAI").getByRole("button", { name: "Remove" }).click();
    const dialog = page.getByRole("alertdialog");
    await expect(dialog).toContainText("Remove OpenAI?");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await models.expectStatus("OpenAI", "Valid");
    await models.card("OpenAI").getByRole("button", { name: "Remove" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Remove" }).click();
    await models.expectStatus("OpenAI", "Not Configured");
  });
});

test("a second user sees nothing of the first's and gets 404 with their own token", async ({ page, browser }) => {
  const first = newAccount("First");
  await signUp(page, first);
  const models = new ModelsPage(page);
  const key = emulatorKey("valid");
  await models.fill("OpenAI", { key, host: models.host("openai"), model: "gpt-4o" });
  await models.save("OpenAI");
  await models.card("OpenAI").getByRole("button", { name: "Set as Default" }).click();
  await expect(models.card("OpenAI").getByText("Default", { exact: true })).toBeVisible();

  const context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL, extraHTTPHeaders: clientAddressHeaders() });
  const other = await context.newPage();
  await signUp(other, newAccount("Second"));
  const theirs = new ModelsPage(other);
  await theirs.expectStatus("OpenAI", "Not Configured");
  await expect(theirs.card("OpenAI").getByLabel("API Key", { exact: true })).toHaveAttribute("placeholder", "");
  const token = await new TokensPage(other).create("second");
  const res = await fetchConfig(other.request, token);
  expect(res.status()).toBe(404);
  expect(await res.json()).toMatchObject({ error: { code: "no_default_model" } });
  expect(await res.text()).not.toContain(key);
  await context.close();
});
