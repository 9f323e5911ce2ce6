/**
 * The plaintext key may leave the server only in GET /api/v1/config. After the flows a user goes
 * through — save, re-save with an empty key, fail a save, set default, create a token — no
 * response the browser received, no page HTML or RSC payload, and no server log line contains it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { emulatorKey } from "./emulator";
import { expect, recordResponseBodies, signUp, test } from "./fixtures";
import { ModelsPage } from "./pages/models-page";
import { TokensPage } from "./pages/tokens-page";
import { fetchConfig } from "./config-client";

test("the key appears in no response the browser received, no page, no log", async ({ page, account }) => {
  const receivedBodies = recordResponseBodies(page);

  await signUp(page, account);
  const models = new ModelsPage(page);
  const key = emulatorKey("valid");
  await models.fill("OpenAI", { key, host: models.host("openai"), model: "gpt-4o" });
  await models.save("OpenAI");
  await models.expectStatus("OpenAI", "Valid");
  // Save again with the key field empty (keeps the stored key), then a failing save.
  await models.fill("OpenAI", { model: "gpt-4o-mini" });
  await models.save("OpenAI");
  await expect(page.getByText("OpenAI saved and verified").first()).toBeVisible();
  await models.fill("OpenAI", { model: "gpt-unknown" });
  await models.save("OpenAI");
  await expect(models.alert("OpenAI")).toContainText("Invalid model name");
  await models.card("OpenAI").getByRole("button", { name: "Set as Default" }).click();
  await expect(models.card("OpenAI").getByText("Default", { exact: true })).toBeVisible();
  const token = await new TokensPage(page).create("scan");
  await models.goto();

  // The agent endpoint does return it (outside the page)…
  const config = await fetchConfig(page.request, token);
  expect((await config.json()).apiKey).toBe(key);

  // …and nothing else does.
  const bodies = await receivedBodies();
  expect(bodies.length).toBeGreaterThan(10);
  const rscPayload = await (await page.request.get("/agent/models", { headers: { RSC: "1" } })).text();
  const html = await page.content();
  const serverLog = readFileSync(process.env.E2E_SERVER_LOG ?? path.join(__dirname, ".artifacts", "server.log"), "utf8");
  const tail = key.slice(-12);
  for (const { url, body } of [
    ...bodies,
    { url: "rsc", body: rscPayload },
    { url: "dom", body: html },
    { url: "server.log", body: serverLog },
  ]) {
    expect.soft(body.includes(key), `key found in ${url}`).toBe(false);
    expect.soft(body.includes(tail), `key tail found in ${url}`).toBe(false);
  }
  expect(rscPayload).toContain(`…${key.slice(-4)}`); // the hint is what the page gets
});
