import { clientAddressHeaders, expect, newAccount, signIn, signOut, signUp, test } from "./fixtures";

test.describe("accounts", () => {
  test("sign up lands on the dashboard with the user's name in the shell", async ({ page, account }) => {
    await signUp(page, account);
    await expect(page.getByRole("heading", { name: "Models", exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: `Account menu for ${account.name}` })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tokens" })).toBeVisible();
  });

  test("signed out, a dashboard URL goes to /login and back there after signing in", async ({ page, account }) => {
    await signUp(page, account);
    await signOut(page);
    await page.goto("/agent/tokens");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fagent%2Ftokens$/);
    await signIn(page, account);
    await expect(page).toHaveURL(/\/agent\/tokens$/);
    await expect(page.getByRole("heading", { name: "Tokens", exact: true })).toBeVisible();
  });

  test("/ sends visitors to /login and signed-in users to their models", async ({ page, account }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
    await signUp(page, account);
    await page.goto("/");
    await expect(page).toHaveURL(/\/agent\/models$/);
    await page.goto("/login");
    await expect(page).toHaveURL(/\/agent\/models$/);
  });

  test("a wrong password and an unknown email get the same message", async ({ page, account }) => {
    await signUp(page, account);
    await signOut(page);
    await signIn(page, { email: account.email, password: "not-the-password" });
    const alert = page.locator("main").getByRole("alert");
    await expect(alert).toHaveText("Incorrect email or password.");
    await expect(page.getByLabel("Email")).toHaveValue(account.email);
    await expect(page.getByLabel("Password")).toHaveValue("");
    await signIn(page, { email: `nobody-${account.email}`, password: account.password });
    await expect(page.locator("main").getByRole("alert")).toHaveText("Incorrect email or password.");
    await expect(page).toHaveURL(/\/login$/);
  });

  test("a taken email is refused on its field, whatever its case", async ({ page, account, browser }) => {
    await signUp(page, account);
    const other = await browser.newPage({ baseURL: process.env.E2E_BASE_URL, extraHTTPHeaders: clientAddressHeaders() });
    await other.goto("/signup");
    await other.getByLabel("Name").fill("Someone Else");
    await other.getByLabel("Email").fill(`  ${account.email.toUpperCase()} `);
    await other.getByLabel("Password").fill("another long password");
    await other.getByRole("button", { name: "Create account" }).click();
    await expect(other.getByText("An account with this email already exists. Sign in instead?")).toBeVisible();
    await expect(other.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
    await expect(other.getByLabel("Name")).toHaveValue("Someone Else");
    await expect(other).toHaveURL(/\/signup$/);
    await other.close();
  });

  test("a short password and a malformed email get clear field errors", async ({ page }) => {
    const account = newAccount();
    await page.goto("/signup");
    await page.getByLabel("Name").fill(account.name);
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
    await expect(page.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();
    await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\/signup$/);
  });

  test("repeated failures for one email are refused for a while, even with the right password", async ({ page, account }) => {
    await signUp(page, account);
    await signOut(page);
    for (let i = 0; i < 5; i++) {
      await signIn(page, { email: account.email, password: `wrong-password-${i}` });
      await expect(page.locator("main").getByRole("alert")).toHaveText("Incorrect email or password.");
    }
    await signIn(page, account);
    await expect(page.locator("main").getByRole("alert")).toContainText("Too many failed sign-ins");
    await expect(page).toHaveURL(/\/login$/);
  });
});
