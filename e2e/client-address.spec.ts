/**
 * Per-address limits against `next start` itself, with the default TRUSTED_PROXY_HOPS=0: the client
 * address is the socket's, so neither a random X-Forwarded-For nor a forged private header picks
 * another bucket. Runs its own server (fresh PGlite directory); the shared e2e server trusts one hop.
 */
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { startAppServer, type AppServer } from "./app-server";
import { newAccount, signIn, signUp } from "./fixtures";
import { fetchConfig } from "./config-client";

const randomAddress = () =>
  `${1 + Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}.${1 + Math.floor(Math.random() * 250)}`;

let server: AppServer;
let baseURL: string;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  // No TRUSTED_PROXY_HOPS: the default, 0.
  server = await startAppServer("client-address");
  baseURL = server.url;
});

test.afterAll(async () => {
  await server?.stop();
});

/** Signs in through Auth.js's own endpoint; returns the error code it redirects with ("" on success). */
async function callbackSignIn(api: APIRequestContext, csrfToken: string, email: string, password: string, headers: Record<string, string>) {
  const res = await api.post("/api/auth/callback/credentials", {
    form: { email, password, csrfToken, callbackUrl: "/agent/models" },
    headers,
    maxRedirects: 0,
  });
  expect(res.status()).toBe(302);
  return new URL(res.headers().location!, baseURL).searchParams.get("code") ?? "";
}

test("30 wrong sign-ins with 30 random X-Forwarded-For values still hit the per-address limit", async ({ browser }) => {
  test.setTimeout(90_000);
  const account = newAccount("Locked Out");
  const page = await browser.newPage({ baseURL });
  await signUp(page, account);
  await page.context().clearCookies();

  const api = await request.newContext({ baseURL });
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const codes: string[] = [];
  for (let i = 0; i < 30; i++) {
    codes.push(
      await callbackSignIn(api, csrfToken, `nobody-${i}-${account.email}`, "wrong-password", { "X-Forwarded-For": randomAddress() }),
    );
  }
  expect(codes.slice(0, 20)).toEqual(Array(20).fill("invalid_credentials"));
  expect(codes.slice(20)).toEqual(Array(10).fill("rate_limited"));

  // The right password for an existing account, from this address: refused too, on both paths.
  expect(await callbackSignIn(api, csrfToken, account.email, account.password, { "X-Forwarded-For": randomAddress() })).toBe(
    "rate_limited",
  );
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: { "X-Forwarded-For": randomAddress() } });
  const login = await context.newPage();
  await login.goto("/login");
  await signIn(login, account);
  await expect(login.locator("main").getByRole("alert")).toContainText(/Too many failed sign-ins\. .*Try again in \d+ minutes\./);
  await expect(login).toHaveURL(/\/login/);

  // A forged private header (unstamped, or with a made-up stamp) does not pick another bucket.
  for (const forged of ["203.0.113.9", "c2VjcmV0LWd1ZXNz 203.0.113.9", `${"A".repeat(32)} 203.0.113.9`]) {
    expect(await callbackSignIn(api, csrfToken, account.email, account.password, { "x-byok-client-address": forged })).toBe("rate_limited");
  }
  await Promise.all([api.dispose(), context.close(), page.close()]);
});

test("agent config failures are counted per socket address, whatever X-Forwarded-For says", async () => {
  const api = await request.newContext({ baseURL });
  const statuses: number[] = [];
  for (let i = 0; i < 61; i++) {
    const res = await fetchConfig(api, `byok_${"B".repeat(43)}`, "", { "X-Forwarded-For": randomAddress() });
    statuses.push(res.status());
  }
  expect(statuses.slice(0, 60).every((s) => s === 401)).toBe(true);
  expect(statuses[60]).toBe(429);
  await api.dispose();
  expect(server.output()).not.toMatch(/\n\s+at /); // no stack traces in the server log
});
