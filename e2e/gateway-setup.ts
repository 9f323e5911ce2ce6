/**
 * For the gateway spec: an org whose admin adds provider cards pointing at the emulator (org
 * credentials are in gateway mode by default), a member who accepts the invitation and makes a
 * personal token, and the emulator's logs read over its control endpoints.
 */
import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { emulatorKey } from "./emulator";
import { emulatorSecret } from "./emulator/providers/bedrock";
import type { ConnectionReport, RecordedRequest } from "./emulator/types";
import { clientAddressHeaders, newAccount, signUp, type Account } from "./fixtures";
import { ModelsPage } from "./pages/models-page";
import { TokensPage } from "./pages/tokens-page";

/** The org's cards: UI name, provider id, model, and the fields typed besides API Host and Model Type. */
export const GATEWAY_CARDS = {
  openai: { name: "OpenAI", model: "gpt-4o-mini", fields: () => ({ "API Key": emulatorKey("valid", "sk-proj-") }) },
  anthropic: { name: "Anthropic", model: "claude-haiku-4-5", fields: () => ({ "API Key": emulatorKey("valid", "sk-ant-api03-") }) },
  deepseek: { name: "DeepSeek", model: "deepseek-chat", fields: () => ({ "API Key": emulatorKey("valid", "sk-") }) },
  azure: {
    name: "Azure OpenAI",
    model: "gpt-4o",
    fields: () => ({ "API Key": emulatorKey("valid", "az"), "API Version": "2024-10-21", "Deployment Name": "my-gpt4o" }),
  },
  bedrock: {
    name: "AWS Bedrock",
    model: "amazon.nova-micro-v1:0",
    fields: () => {
      const id = `AKIA${emulatorKey("valid", "")
        .replace(/[^A-Z0-9]/gi, "")
        .toUpperCase()
        .slice(0, 16)}`;
      return { Region: "us-east-1", "Access Key ID": id, "Secret Access Key": emulatorSecret(id) };
    },
  },
} as const;

export type GatewayProvider = keyof typeof GATEWAY_CARDS;

export type GatewayOrg = {
  admin: Page;
  member: Page;
  memberAccount: Account;
  slug: string;
  /** What the admin typed, per provider (the secrets the member must never see). */
  secrets: Record<GatewayProvider, Record<string, string>>;
  /** The member's personal agent token. */
  token: string;
  contexts: BrowserContext[];
};

/** Every secret value typed into the cards (keys, secret access keys), for leak scans. */
export function secretValues(org: GatewayOrg): string[] {
  return Object.values(org.secrets).flatMap((fields) =>
    Object.entries(fields)
      .filter(([label]) => label === "API Key" || label === "Secret Access Key")
      .map(([, value]) => value),
  );
}

export async function setUpGatewayOrg(browser: Browser): Promise<GatewayOrg> {
  const baseURL = process.env.E2E_BASE_URL;
  const adminContext = await browser.newContext({ baseURL, extraHTTPHeaders: clientAddressHeaders() });
  const memberContext = await browser.newContext({ baseURL, extraHTTPHeaders: clientAddressHeaders() });
  const admin = await adminContext.newPage();
  const member = await memberContext.newPage();
  const memberAccount = newAccount("Member");

  await signUp(admin, newAccount("Admin"));
  await admin.goto("/orgs/new");
  await admin.getByLabel("Organization name").fill(`Gateway ${memberAccount.email.slice(5, 13)}`);
  await admin.getByRole("button", { name: "Create organization" }).click();
  await expect(admin).toHaveURL(/\/orgs\/[a-z0-9-]+\/models$/);
  const slug = new URL(admin.url()).pathname.split("/")[2]!;

  const models = new ModelsPage(admin);
  const secrets = {} as Record<GatewayProvider, Record<string, string>>;
  for (const [id, card] of Object.entries(GATEWAY_CARDS) as [GatewayProvider, (typeof GATEWAY_CARDS)[GatewayProvider]][]) {
    const fields: Record<string, string> = card.fields();
    secrets[id] = fields;
    const region = models.card(card.name);
    for (const [label, value] of Object.entries(fields)) await region.getByLabel(label, { exact: true }).fill(value);
    await models.fill(card.name, { host: models.host(id), model: card.model });
    await models.save(card.name);
    await models.expectStatus(card.name, "Valid");
  }

  await admin.goto(`/orgs/${slug}/members`);
  await admin.getByLabel("Email").fill(memberAccount.email);
  await admin.getByLabel("Role").first().selectOption("member");
  await admin.getByRole("button", { name: "Invite" }).click();
  const link = await admin.getByRole("textbox", { name: "Invitation link" }).inputValue();
  await signUp(member, memberAccount);
  await member.goto(new URL(link).pathname);
  await member.getByRole("button", { name: "Accept invitation" }).click();
  await expect(member).toHaveURL(new RegExp(`/orgs/${slug}/models$`));
  const token = await new TokensPage(member).create("gateway agent");
  return { admin, member, memberAccount, slug, secrets, token, contexts: [adminContext, memberContext] };
}

/** The admin removes the member from the org. */
export async function removeMember(org: GatewayOrg): Promise<void> {
  const { admin, memberAccount, slug } = org;
  await admin.goto(`/orgs/${slug}/members`);
  const row = admin.getByRole("row").filter({ hasText: memberAccount.email });
  await row.getByRole("button", { name: "Remove" }).click();
  await admin.getByRole("alertdialog").getByRole("button", { name: "Remove" }).click();
  await expect(admin.getByRole("row").filter({ hasText: memberAccount.email })).toHaveCount(0);
}

const emulatorUrl = () => process.env.E2E_EMULATOR_URL!;

/** The emulator's request log (shared by every test running: filter it). */
export async function emulatorRequests(): Promise<RecordedRequest[]> {
  return (await fetch(`${emulatorUrl()}/__emulator/requests`)).json() as Promise<RecordedRequest[]>;
}

export async function emulatorConnections(): Promise<ConnectionReport> {
  return (await fetch(`${emulatorUrl()}/__emulator/connections`)).json() as Promise<ConnectionReport>;
}
