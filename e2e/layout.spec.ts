import path from "node:path";
import { emulatorKey } from "./emulator";
import { expect, signUp, test } from "./fixtures";
import { ModelsPage } from "./pages/models-page";

const shots = path.join(__dirname, ".artifacts");

test.describe("app shell", () => {
  test("at phone width the sidebar collapses into a menu and nothing overflows", async ({ page, account }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signUp(page, account);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav).toBeHidden();
    const noOverflow = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await noOverflow()).toBe(true);
    await page.screenshot({ path: path.join(shots, "phone-models.png"), fullPage: true });

    await page.getByRole("button", { name: "Open menu" }).click();
    await expect(nav).toBeVisible();
    await page.screenshot({ path: path.join(shots, "phone-menu.png") });
    await nav.getByRole("link", { name: "Tokens" }).click();
    await expect(page).toHaveURL(/\/agent\/tokens$/);
    await expect(nav).toBeHidden();
    expect(await noOverflow()).toBe(true);

    // Escape closes the drawer and focus returns to the menu button.
    await page.getByRole("button", { name: "Open menu" }).click();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("button", { name: "Open menu" })).toBeFocused();
  });

  test("desktop shell in light and dark, with the theme toggle in the user menu", async ({ page, account }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await signUp(page, account);
    await page.getByRole("button", { name: /Account menu/ }).click();
    await page.getByRole("menuitemradio", { name: "Dark" }).click();
    await expect(page.locator("html")).toHaveClass(/dark/);
    await page.screenshot({ path: path.join(shots, "desktop-dark.png") });
    await page.reload();
    await expect(page.locator("html")).toHaveClass(/dark/);
    await page.getByRole("button", { name: /Account menu/ }).click();
    await page.getByRole("menuitemradio", { name: "Light" }).click();
    await expect(page.locator("html")).not.toHaveClass(/dark/);
    await page.screenshot({ path: path.join(shots, "desktop-light.png") });
  });

  test("keyboard: skip link, then the navigation", async ({ page, account }) => {
    await signUp(page, account);
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  });
});

test.describe("screens", () => {
  test("models and tokens pages, desktop light/dark and phone", async ({ page, account }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signUp(page, account);
    const models = new ModelsPage(page);
    await models.fill("OpenAI", { key: emulatorKey("bad"), host: models.host("openai"), model: "gpt-4o" });
    await models.save("OpenAI");
    await expect(models.alert("OpenAI")).toBeVisible();
    await page.screenshot({ path: path.join(shots, "models-error.png"), fullPage: true });
    await models.fill("OpenAI", { key: emulatorKey("valid") });
    await models.save("OpenAI");
    await models.expectStatus("OpenAI", "Valid");
    await models.card("OpenAI").getByRole("button", { name: "Set as Default" }).click();
    await expect(models.card("OpenAI").getByText("Default", { exact: true })).toBeVisible();
    await page.screenshot({ path: path.join(shots, "models-valid.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: path.join(shots, "models-dark.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: path.join(shots, "models-phone-dark.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto("/agent/tokens");
    await page.getByLabel("Token name").fill("screenshot agent");
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByRole("textbox", { name: "New token" })).toBeVisible();
    await page.screenshot({ path: path.join(shots, "tokens.png"), fullPage: true });
  });
});
