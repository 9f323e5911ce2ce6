/**
 * The usage pages with data from real gateway calls: an org owner adds an OpenAI card on the
 * emulator (org credentials are gateway-only by default), an org token and the owner's personal
 * token call through BYOK with the official `openai` SDK (one call refused upstream with a 429), and
 * /orgs/<slug>/usage shows it: charts drawn as SVG, the table's counts, prices turned into a cost,
 * Export CSV equal to the table (also filtered), the stacking switch by mouse and keyboard, and
 * screenshots (light, dark, phone). /usage shows the owner's own request only.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import OpenAI from "openai";
import { fetchConfig } from "./config-client";
import { emulatorKey } from "./emulator";
import { clientAddressHeaders, expect, newAccount, signUp, test } from "./fixtures";
import { ModelsPage } from "./pages/models-page";
import { TokensPage } from "./pages/tokens-page";

const shots = path.resolve(__dirname, ".artifacts");
const hi = [{ role: "user" as const, content: "hi" }];

test.describe.configure({ mode: "serial" });

let context: BrowserContext;
let page: Page;
let slug: string;
let ownerName: string;

/** A minimal RFC 4180 reader (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") endCell();
    else if (c === "\r" && text[i + 1] === "\n") {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += c;
  }
  if (cell || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
}

async function gatewayClient(token: string): Promise<OpenAI> {
  const res = await fetchConfig(page.request, token, "?provider=openai");
  expect(res.status(), await res.text()).toBe(200);
  const config = (await res.json()) as { delivery: string; apiHost: string; apiKey: string };
  expect(config.delivery).toBe("gateway");
  return new OpenAI({ baseURL: config.apiHost, apiKey: config.apiKey, maxRetries: 0 });
}

const table = (p: Page) => p.getByRole("region", { name: "Usage table (scrolls sideways)" });

/** The table's rows as the CSV should hold them (each cell's data-csv). */
async function tableCells(p: Page): Promise<string[][]> {
  return table(p)
    .locator("tbody tr")
    .evaluateAll((trs) =>
      trs.filter((tr) => tr.querySelector("td[data-csv]")).map((tr) => [...tr.querySelectorAll("td")].map((td) => td.dataset.csv ?? "")),
    );
}

async function exportCsv(p: Page): Promise<string[][]> {
  const [download] = await Promise.all([p.waitForEvent("download"), p.getByRole("button", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^usage-${slug}-\\d{4}-\\d{2}-\\d{2}-to-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  return parseCsv(readFileSync((await download.path())!, "utf8"));
}

async function pictured(browser: Browser, scheme: "light" | "dark", width: number, name: string) {
  const shot = await browser.newContext({
    baseURL: process.env.E2E_BASE_URL,
    storageState: await context.storageState(),
    colorScheme: scheme,
    viewport: { width, height: width < 500 ? 844 : 900 },
  });
  const p = await shot.newPage();
  // The charts draw once the page has hydrated; on a loaded machine that can take seconds, so each
  // attempt waits long enough rather than reloading every second (which never lets it finish).
  await expect(async () => {
    await p.goto(`/orgs/${slug}/usage`);
    await expect(p.locator(".recharts-bar-rectangle").first()).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 30_000 });
  // The page never widens past the viewport on a phone: the table scrolls inside its region.
  await p.screenshot({ path: path.join(shots, name), fullPage: true });
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  // The outermost elements that stick out (named in the failure message).
  const wide = await p.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((el) => (el.parentElement?.getBoundingClientRect().right ?? 0) <= window.innerWidth + 1)
      .slice(0, 8)
      .map((el) => `${el.tagName}.${String(el.className).slice(0, 80)} right=${Math.round(el.getBoundingClientRect().right)}`),
  );
  expect(overflow, wide.join("\n")).toBeLessThanOrEqual(1);
  await shot.close();
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL, extraHTTPHeaders: clientAddressHeaders() });
  page = await context.newPage();
  const owner = newAccount("Owner");
  ownerName = owner.name;
  await signUp(page, owner);

  // Before any traffic: the empty state.
  await page.goto("/usage");
  await expect(page.getByText("No gateway traffic yet — agents using a gateway-mode credential show up here")).toBeVisible();

  await page.goto("/orgs/new");
  await page.getByLabel("Organization name").fill(`Usage ${owner.email.slice(5, 13)}`);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(/\/orgs\/[a-z0-9-]+\/models$/);
  slug = new URL(page.url()).pathname.split("/")[2]!;
  const models = new ModelsPage(page);
  await models.fill("OpenAI", { key: emulatorKey("valid", "sk-proj-"), host: models.host("openai"), model: "gpt-4o-mini" });
  await models.save("OpenAI");
  await models.expectStatus("OpenAI", "Valid");

  await page.goto(`/orgs/${slug}/usage`);
  await expect(page.getByText("No gateway traffic yet — agents using a gateway-mode credential show up here")).toBeVisible();

  const orgToken = await new TokensPage(page, `/orgs/${slug}/tokens`).create("usage-bot");
  const personalToken = await new TokensPage(page).create("my laptop");

  const bot = await gatewayClient(orgToken);
  for (let i = 0; i < 2; i++) {
    const answer = await bot.chat.completions.create({ model: "gpt-4o-mini", messages: hi });
    expect(answer.usage?.completion_tokens).toBe(8);
  }
  // The emulator answers 429 for a model named …ratelimit…: an error on the charts and in the table.
  await expect(bot.chat.completions.create({ model: "gpt-4o-mini-ratelimit", messages: hi })).rejects.toMatchObject({ status: 429 });
  const mine = await gatewayClient(personalToken);
  await mine.chat.completions.create({ model: "gpt-4o-mini", messages: hi });
});

test.afterAll(async () => {
  await context?.close();
});

test("the org usage page: charts, table counts, prices → cost", async () => {
  // Usage rows are written once a second: reload until all four requests are in.
  await expect(async () => {
    await page.goto(`/orgs/${slug}/usage`);
    await expect(page.getByRole("term").filter({ hasText: "Requests" }).locator("xpath=following-sibling::dd[1]")).toHaveText("4", {
      timeout: 1000,
    });
  }).toPass({ timeout: 20_000 });

  // Charts: SVG surfaces with stacked bars and the error-rate area.
  await expect(page.locator(".recharts-surface").first()).toBeVisible();
  expect(await page.locator(".recharts-bar-rectangle path, .recharts-bar-rectangle rect").count()).toBeGreaterThan(0);
  await expect(page.locator(".recharts-area-area").first()).toBeAttached();

  expect(await tableCells(page)).toEqual([
    // Most requests first, then by member, credential and model.
    ["Org token “usage-bot”", "OpenAI", "gpt-4o-mini", "2", expect.any(String), "16", "0", ""],
    ["Org token “usage-bot”", "OpenAI", "gpt-4o-mini-ratelimit", "1", "0", "0", "1", ""],
    [ownerName, "OpenAI", "gpt-4o-mini", "1", expect.any(String), "8", "0", ""],
  ]);

  // A price for gpt-4o-mini: the table shows an estimated cost for its rows.
  const prices = page.getByRole("form", { name: "Set a price" });
  await prices.getByLabel("Model").fill("gpt-4o-mini");
  await prices.getByLabel("Input price per 1M tokens").fill("-1");
  await prices.getByLabel("Output price per 1M tokens").fill("10");
  await prices.getByRole("button", { name: "Save price" }).click();
  await expect(prices.getByText(/non-negative number/)).toBeVisible();
  await prices.getByLabel("Model").fill("gpt-4o-mini");
  await prices.getByLabel("Input price per 1M tokens").fill("2.5");
  await prices.getByLabel("Output price per 1M tokens").fill("10");
  await prices.getByRole("button", { name: "Save price" }).click();
  await expect(page.getByRole("button", { name: "Remove price of OpenAI · gpt-4o-mini" })).toBeVisible();
  await page.reload();
  const rows = await tableCells(page);
  expect(rows[0]![7]).toMatch(/^0\.\d+$/);
  expect(rows[1]![7]).toBe("");
  expect(rows[2]![7]).toMatch(/^0\.\d+$/);
});

test("Export CSV downloads exactly the table's rows, filter included", async () => {
  await page.goto(`/orgs/${slug}/usage`);
  const header = ["Member", "Credential", "Model", "Requests", "Input tokens", "Output tokens", "Errors", "Estimated cost"];
  const all = await tableCells(page);
  expect(all).toHaveLength(3);
  expect(await exportCsv(page)).toEqual([header, ...all]);

  await page.getByLabel("Filter").fill("usage-bot");
  await expect(page.getByText("2 of 3 rows")).toBeVisible();
  const filtered = await tableCells(page);
  expect(filtered).toHaveLength(2);
  expect(await exportCsv(page)).toEqual([header, ...filtered]);
});

test("stacking switches between credential, model and member, by mouse and keyboard", async () => {
  await page.goto(`/orgs/${slug}/usage`);
  const group = page.getByRole("radiogroup", { name: "Stack by" });
  const legend = page.locator(".recharts-legend-wrapper").first();
  await expect(group.getByRole("radio", { name: "Credential" })).toBeChecked();
  await expect(legend).toContainText("OpenAI");

  await group.getByRole("radio", { name: "Model" }).click();
  await expect(legend).toContainText("gpt-4o-mini-ratelimit");

  // Arrow keys move and select within the radio group.
  // (Radix moves focus a tick after keydown and selects if the key is still down, as a person's is.)
  await group.getByRole("radio", { name: "Model" }).focus();
  await page.keyboard.down("ArrowRight");
  await expect(group.getByRole("radio", { name: "Member" })).toBeFocused();
  await page.keyboard.up("ArrowRight");
  await expect(group.getByRole("radio", { name: "Member" })).toBeChecked();
  await expect(legend).toContainText("Org token “usage-bot”");
  await expect(legend).toContainText(ownerName);
});

test("/usage shows only the owner's own traffic", async () => {
  await expect(async () => {
    await page.goto("/usage");
    expect(await tableCells(page)).toEqual([
      [ownerName, expect.stringMatching(/^OpenAI · Usage /), "gpt-4o-mini", "1", expect.any(String), "8", "0", expect.any(String)],
    ]);
  }).toPass({ timeout: 10_000 });
  await expect(page.getByRole("navigation").getByRole("link", { name: "Usage" }).first()).toBeVisible();
});

test("screenshots: light, dark, phone", async ({ browser }) => {
  test.setTimeout(150_000);
  await pictured(browser, "light", 1280, "usage-org-light-1280.png");
  await pictured(browser, "dark", 1280, "usage-org-dark-1280.png");
  await pictured(browser, "light", 390, "usage-org-light-390.png");
  await pictured(browser, "dark", 390, "usage-org-dark-390.png");
});
