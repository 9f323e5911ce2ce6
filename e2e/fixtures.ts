import { test as base, expect, type Page, type Response } from "@playwright/test";
import { randomUUID } from "node:crypto";

export type Account = { name: string; email: string; password: string };

/** A new, unique account for one test. */
export function newAccount(name = "Test User"): Account {
  const id = randomUUID().slice(0, 8);
  return { name: `${name} ${id}`, email: `user-${id}@example.com`, password: `pass-${id}-long-enough` };
}

/**
 * A random client address for one test (198.18.0.0/15, the benchmarking range). The e2e server
 * trusts one proxy hop, so this X-Forwarded-For is the test's address, as a proxy would send it.
 */
export function clientAddressHeaders(): Record<string, string> {
  const octet = () => Math.floor(Math.random() * 254) + 1;
  return { "X-Forwarded-For": `198.${18 + (octet() % 2)}.${octet()}.${octet()}` };
}

export const test = base.extend<{ account: Account }>({
  // The server's URL is known only after global setup picked a port.
  baseURL: async ({}, use) => {
    await use(process.env.E2E_BASE_URL);
  },
  extraHTTPHeaders: async ({}, use) => {
    await use(clientAddressHeaders());
  },
  account: async ({}, use) => {
    await use(newAccount());
  },
});

export { expect };

export async function signUp(page: Page, account: Account) {
  await page.goto("/signup");
  await page.getByLabel("Name").fill(account.name);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/agent\/models$/);
}

export async function signIn(page: Page, account: Pick<Account, "email" | "password">) {
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

export async function signOut(page: Page) {
  const menu = page.getByRole("button", { name: /Account menu/ });
  if (!(await menu.isVisible())) await page.getByRole("button", { name: "Open menu" }).click();
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
}

/** Keeps the body of every response the page receives; call the result to get them all. */
export function recordResponseBodies(page: Page): () => Promise<{ url: string; body: string }[]> {
  const bodies: { url: string; body: string }[] = [];
  const pending: Promise<void>[] = [];
  page.on("response", (response: Response) => {
    pending.push(
      response
        .body()
        .then((b) => void bodies.push({ url: response.url(), body: b.toString("utf8") }))
        .catch(() => {}),
    );
  });
  return async () => {
    await Promise.all(pending);
    return bodies;
  };
}
