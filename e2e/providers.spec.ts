/**
 * Every provider card, end to end against the emulator: a good configuration saves as Valid, one
 * failing save shows the provider's seed message, and the agent config for the provider
 * (`?provider=<id>`) carries the right apiHost, apiKey, extra, parameters and capabilities.
 */
import type { Locator } from "@playwright/test";
import { emulatorKey } from "./emulator";
import { emulatorSecret } from "./emulator/providers/bedrock-auth";
import { expect, signUp, test } from "./fixtures";
import { ModelsPage } from "./pages/models-page";
import { TokensPage } from "./pages/tokens-page";
import { fetchConfig } from "./config-client";

type Fields = Record<string, string>;
type Case = {
  id: string;
  name: string;
  model: string;
  /** Labelled fields to fill for a good configuration (besides API Host and Model Type). */
  good: () => Fields;
  /** Changes that make the save fail, and the message it must show. */
  bad: (good: Fields) => { fields: Fields; model?: string; message: string };
  /** What the agent config's apiKey and extra must be, from the good fields. */
  expected: (good: Fields, host: string) => { apiKey: string | null; extra: Record<string, string> };
};

const INVALID_KEY = "Invalid key. Validation failed.";
const INVALID_MODEL = "Invalid model name. Validation failed.";
const QUOTA = "You exceeded your current quota";
const keyOnly =
  (prefix: string): Case["good"] =>
  () => ({ "API Key": emulatorKey("valid", prefix) });
const apiKeyOf = (good: Fields) => ({ apiKey: good["API Key"] ?? null, extra: {} });
const accessKeyId = () =>
  `AKIA${emulatorKey("valid", "")
    .replace(/[^A-Z0-9]/gi, "")
    .toUpperCase()
    .slice(0, 16)}`;

const CASES: Case[] = [
  {
    id: "openai",
    name: "OpenAI",
    model: "gpt-4o-mini",
    good: keyOnly("sk-proj-"),
    expected: apiKeyOf,
    bad: () => ({ fields: { "API Key": emulatorKey("bad", "sk-proj-") }, message: INVALID_KEY }),
  },
  {
    id: "anthropic",
    name: "Anthropic",
    model: "claude-sonnet-4-5",
    good: keyOnly("sk-ant-api03-"),
    expected: apiKeyOf,
    bad: () => ({ fields: { "API Key": emulatorKey("quota", "sk-ant-api03-") }, message: QUOTA }),
  },
  {
    id: "gemini",
    name: "Google Gemini",
    model: "gemini-2.5-flash",
    good: keyOnly("AIza"),
    expected: apiKeyOf,
    bad: () => ({ fields: { "API Key": emulatorKey("bad", "AIza") }, message: INVALID_KEY }),
  },
  {
    id: "openrouter",
    name: "OpenRouter",
    model: "openai/gpt-4o-mini",
    good: keyOnly("sk-or-v1-"),
    expected: apiKeyOf,
    bad: () => ({ fields: { "API Key": emulatorKey("quota", "sk-or-v1-") }, message: QUOTA }),
  },
  {
    id: "qwen",
    name: "Qwen (Alibaba)",
    model: "qwen-plus",
    good: keyOnly("sk-"),
    expected: apiKeyOf,
    bad: (good) => ({ fields: good, model: "qwen-imaginary", message: INVALID_MODEL }),
  },
  {
    id: "deepseek",
    name: "DeepSeek",
    model: "deepseek-chat",
    good: keyOnly("sk-"),
    expected: apiKeyOf,
    bad: () => ({ fields: { "API Key": emulatorKey("quota", "sk-") }, message: QUOTA }),
  },
  {
    id: "minimax",
    name: "Minimax",
    model: "MiniMax-M2",
    good: keyOnly("eyJ"),
    expected: apiKeyOf,
    bad: () => ({ fields: { "API Key": emulatorKey("bad", "eyJ") }, message: INVALID_KEY }),
  },
  {
    id: "zai",
    name: "Z.ai",
    model: "glm-4.6",
    good: keyOnly("zai-"),
    expected: apiKeyOf,
    bad: () => ({ fields: { "API Key": emulatorKey("quota", "zai-") }, message: QUOTA }),
  },
  {
    id: "azure",
    name: "Azure OpenAI",
    model: "gpt-4o",
    good: () => ({ "API Key": emulatorKey("valid", "az"), "API Version": "2024-10-21", "Deployment Name": "my-gpt4o" }),
    bad: (good) => ({ fields: { ...good, "Deployment Name": "no-such-deployment" }, message: INVALID_MODEL }),
    expected: (good) => ({ apiKey: good["API Key"]!, extra: { apiVersion: "2024-10-21", deploymentName: "my-gpt4o" } }),
  },
  {
    id: "bedrock",
    name: "AWS Bedrock",
    model: "amazon.nova-micro-v1:0",
    good: () => {
      const id = accessKeyId();
      return { Region: "us-east-1", "Access Key ID": id, "Secret Access Key": emulatorSecret(id) };
    },
    bad: (good) => ({ fields: { ...good, "Secret Access Key": `${good["Secret Access Key"]}x` }, message: INVALID_KEY }),
    expected: (good) => ({
      apiKey: null,
      extra: { region: "us-east-1", accessKeyId: good["Access Key ID"]!, secretAccessKey: good["Secret Access Key"]! },
    }),
  },
  {
    id: "openai-compatible",
    name: "OpenAI Compatible",
    model: "meta-llama/Llama-3.1-8B-Instruct",
    good: () => ({}),
    bad: () => ({ fields: {}, model: "not-a-served-model", message: INVALID_MODEL }),
    expected: () => ({ apiKey: null, extra: {} }),
  },
];

async function fillFields(card: Locator, fields: Fields) {
  for (const [label, value] of Object.entries(fields)) await card.getByLabel(label, { exact: true }).fill(value);
}

for (const c of CASES) {
  test(`${c.name}: a good configuration is Valid, a bad one says why, and the agent gets it`, async ({ page, account }) => {
    await signUp(page, account);
    const models = new ModelsPage(page);
    const card = models.card(c.name);
    const host = models.host(c.id);
    await models.expectStatus(c.name, "Not Configured");

    // A failing save first: the seed message, nothing stored.
    const good = c.good();
    const bad = c.bad(good);
    await fillFields(card, bad.fields);
    await models.fill(c.name, { host, model: bad.model ?? c.model });
    await models.save(c.name);
    await expect(models.alert(c.name)).toContainText(bad.message);
    await models.expectStatus(c.name, "Not Configured");

    // Then the good configuration, with model parameters.
    await fillFields(card, good);
    await models.fill(c.name, { host, model: c.model });
    await card.getByText("Model Parameters (optional)").click();
    await card.getByLabel("Model Parameters (JSON)").fill('{"temperature":0.2,"max_tokens":4096}');
    await models.save(c.name);
    await models.expectStatus(c.name, "Valid");
    await expect(card.getByText(/Tools: (supported|not supported|unknown)/)).toBeVisible();

    const token = await new TokensPage(page).create(`${c.id} agent`);
    const res = await fetchConfig(page.request, token, `?provider=${c.id}`);
    expect(res.status()).toBe(200);
    const body = await res.json();
    const expected = c.expected(good, host);
    expect(body).toMatchObject({
      provider: c.id,
      providerName: c.name,
      model: c.model,
      apiHost: host,
      apiKey: expected.apiKey,
      extra: expected.extra,
      parameters: { temperature: 0.2, max_tokens: 4096 },
      capabilities: { tools: expect.stringMatching(/^(supported|unsupported|unknown)$/) },
      status: "valid",
    });
    expect(Object.keys(body.extra).sort()).toEqual(Object.keys(expected.extra).sort());
  });
}
