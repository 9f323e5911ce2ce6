/**
 * /docs/api: a signed-out visitor reads the agent API reference, drawn from the served OpenAPI
 * document, in light and dark and at a phone's width without the page overflowing.
 */
import { expect, test } from "./fixtures";

test("a signed-out visitor reads the API reference and follows it to the OpenAPI document", async ({ page }) => {
  await page.goto("/docs/api");
  await expect(page).toHaveURL(/\/docs\/api$/); // no detour through /login
  await expect(page.getByRole("heading", { level: 1, name: "BYOK agent API" })).toBeVisible();
  const config = page.getByRole("region", { name: "GET /api/v1/config" });
  await expect(config).toBeVisible();
  await expect(config.getByRole("region", { name: "Parameters of /api/v1/config" })).toContainText("profile");
  for (const code of ["no_default_model", "provider_not_configured", "ambiguous_provider", "rate_limited"]) {
    await expect(config.getByText(code, { exact: true })).toBeVisible();
  }
  await expect(config.getByLabel("Example: key")).toContainText('"delivery": "key"'); // the example answer
  await expect(page.getByRole("region", { name: "GET POST /api/v1/gateway/profile/{name}/{path}" })).toContainText("x-byok-credential");
  await expect(page.getByRole("region", { name: "Authentication methods" })).toContainText("x-api-key: <token>");

  // The section links work, and the JSON link answers the document.
  await page.getByRole("navigation", { name: "Contents" }).getByRole("link", { name: "/api/v1/config" }).click();
  await expect(page).toHaveURL(/#config$/);
  const jsonLink = page.getByRole("link", { name: "OpenAPI 3.1 document (JSON)" });
  const res = await page.request.get((await jsonLink.getAttribute("href"))!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/^application\/json/);
  expect(await res.json()).toMatchObject({ openapi: expect.stringMatching(/^3\.1\./), paths: { "/api/v1/config": expect.anything() } });
});

test("the login page links to it", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page).toHaveURL(/\/docs\/api$/);
});

test("light, dark and phone width: readable, nothing overflows the page", async ({ page }) => {
  const noOverflow = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/docs/api");
  await page.screenshot({ path: "/tmp/docs-light.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.screenshot({ path: "/tmp/docs-dark.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  expect(await noOverflow()).toBe(true);
  await page.screenshot({ path: "/tmp/docs-phone.png", fullPage: true });
  // The parameters table scrolls inside itself instead.
  const table = page.getByRole("region", { name: "Parameters of /api/v1/config" });
  expect(await table.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
});
