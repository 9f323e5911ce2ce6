/**
 * Every page is served with a nonce-based Content-Security-Policy that the app itself passes with
 * no violation in Chromium (pages, client navigation, dialogs, toasts, the theme switch), a script
 * without the nonce is blocked, and every answer carries the security headers of next.config.mjs
 * (Strict-Transport-Security in production).
 */
import type { Page } from "@playwright/test";
import { expect, signUp, test } from "./fixtures";
import { TokensPage } from "./pages/tokens-page";

/** Collects CSP violations (the DOM event and Chromium's console report) for the page's lifetime. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const seen: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) seen.push(`console: ${message.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const w = window as unknown as { __cspViolations?: string[] };
      (w.__cspViolations ??= []).push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return async () => {
    const fromPage = await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []).catch(() => []);
    return [...seen, ...fromPage.map((v) => `event: ${v}`)];
  };
}

test("the app's own pages run under the nonce-based CSP without a single violation", async ({ page, account }) => {
  const violations = await watchViolations(page);
  const cspHeaders: string[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "document") cspHeaders.push(response.headers()["content-security-policy"] ?? "");
  });

  await page.goto("/login");
  await page.goto("/signup");
  await signUp(page, account);
  await page.goto("/agent/models");
  await page.getByRole("region", { name: "OpenAI", exact: true }).getByRole("button", { name: "Save" }).click();
  await new TokensPage(page).create("csp-check");
  await page.getByRole("button", { name: "Revoke csp-check" }).click();
  await expect(page.getByRole("alertdialog")).toBeVisible();
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitemradio", { name: "Dark" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.goto("/activity");
  await page.goto("/orgs/new");
  await page.getByLabel("Organization name").fill(`Policy ${Date.now()}`);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(/\/orgs\/[a-z0-9-]+\/models$/);
  const slug = new URL(page.url()).pathname.split("/")[2]!;
  for (const tab of ["members", "tokens", "activity"]) {
    // Client-side navigation through the sidebar.
    await page
      .getByRole("navigation", { name: "Organization" })
      .getByRole("link", { name: new RegExp(`^${tab}$`, "i") })
      .click();
    await expect(page).toHaveURL(new RegExp(`/orgs/${slug}/${tab}$`));
  }
  await page.goto("/invite/byoki_not-a-real-invitation");
  await page.goto("/no-such-page");

  expect(await violations()).toEqual([]);
  expect(cspHeaders.length).toBeGreaterThanOrEqual(8);
  for (const header of cspHeaders) {
    expect(header).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
    expect(header).toContain("object-src 'none'");
    expect(header).toContain("frame-ancestors 'none'");
    expect(header).not.toContain("unsafe-eval");
  }
  // A fresh nonce for every page.
  const nonces = cspHeaders.map((h) => /'nonce-([^']+)'/.exec(h)?.[1]);
  expect(new Set(nonces).size).toBe(nonces.length);
});

test("injected script without the page's nonce does not run", async ({ page }) => {
  const violations = await watchViolations(page);
  const response = await page.goto("/login");
  const nonce = /'nonce-([^']+)'/.exec(response!.headers()["content-security-policy"] ?? "")?.[1];
  expect(nonce).toBeTruthy();
  // Next put the nonce on its own scripts.
  expect(await page.locator(`script[nonce]`).count()).toBeGreaterThan(0);
  // Injected markup (the XSS case): its inline handler has no nonce and must not run.
  await page.evaluate(() => {
    document.body.insertAdjacentHTML("beforeend", '<img alt="" src="/__no_such_image__.png" onerror="window.__injected = true">');
  });
  await expect.poll(violations).toContainEqual(expect.stringMatching(/script-src/));
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
});

test("every answer carries the security headers, Strict-Transport-Security in production", async ({ request }) => {
  for (const path of ["/", "/login", "/agent/models", "/api/health", "/api/v1/config", "/api/v1/openapi.json", "/no/such/page"]) {
    const headers = (await request.get(path, { maxRedirects: 0 })).headers();
    expect(headers, path).toMatchObject({
      "strict-transport-security": "max-age=63072000; includeSubDomains",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "same-origin",
      "permissions-policy": "camera=(), microphone=(), geolocation=()",
    });
  }
  // Pages whose URL holds a one-time token: no Referer, no indexing.
  const reset = (await request.get("/reset-password/not-a-real-token", { maxRedirects: 0 })).headers();
  expect(reset).toMatchObject({ "referrer-policy": "no-referrer", "x-robots-tag": "noindex, nofollow", "x-frame-options": "DENY" });
});
