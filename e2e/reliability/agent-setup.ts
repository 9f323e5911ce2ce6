/**
 * What an agent needs, made through one instance's pages the way a person would: an account, a
 * credential saved (validated against the emulator) and set as default, and agent tokens.
 */
import { expect, type Page } from "@playwright/test";
import { emulatorApiHost, emulatorKey } from "../emulator";
import { newAccount, signUp } from "../fixtures";
import { ModelsPage } from "../pages/models-page";
import { TokensPage } from "../pages/tokens-page";

/** Fills a card and saves it; resolves once the card says it is saved and verified. */
export async function saveCard(page: Page, card: string, values: { key?: string; host?: string; model: string }): Promise<void> {
  const models = new ModelsPage(page);
  if (!page.url().endsWith("/agent/models")) await models.goto();
  await models.fill(card, values);
  await models.save(card);
  await expect(page.getByText(`${card} saved and verified`).last()).toBeVisible({ timeout: 20_000 });
}

export type AgentSetup = { key: string; host: string; tokens: string[] };

/** Signs up on `page`'s instance, saves an OpenAI credential as default and creates `tokenCount` tokens. */
export async function setUpAgent(page: Page, emulatorUrl: string, tokenCount = 1): Promise<AgentSetup> {
  await signUp(page, newAccount("Reliability"));
  const key = emulatorKey("valid");
  const host = emulatorApiHost(emulatorUrl, "openai");
  await saveCard(page, "OpenAI", { key, host, model: "gpt-4o-mini" });
  const card = new ModelsPage(page).card("OpenAI");
  await card.getByRole("button", { name: "Set as Default" }).click();
  await expect(card.getByText("Default", { exact: true })).toBeVisible();
  const tokens: string[] = [];
  for (let i = 0; i < tokenCount; i++) tokens.push(await new TokensPage(page).create(`agent ${i + 1}`));
  return { key, host, tokens };
}
