/**
 * Two people, two browsers: an admin adds a provider to an organization and invites a member; the
 * member accepts, sees the card without the key, makes it their default, and their agent fetches
 * it; the admin removes them; their next fetch no longer returns it. Nothing the member's browser
 * received ever contained the key.
 */
import { emulatorKey } from "./emulator";
import { clientAddressHeaders, expect, newAccount, recordResponseBodies, signUp, test } from "./fixtures";
import { ModelsPage } from "./pages/models-page";
import { TokensPage } from "./pages/tokens-page";
import { fetchConfig } from "./config-client";

test("an org admin shares a provider; a member uses it without the key until removed", async ({ browser }) => {
  test.setTimeout(120_000); // two accounts, two browsers, an org, an invitation: 40–60 s under CI load
  const baseURL = process.env.E2E_BASE_URL;
  const adminContext = await browser.newContext({ baseURL, extraHTTPHeaders: clientAddressHeaders() });
  const memberContext = await browser.newContext({ baseURL, extraHTTPHeaders: clientAddressHeaders() });
  const admin = await adminContext.newPage();
  const member = await memberContext.newPage();
  const bodiesSeenByMember = recordResponseBodies(member);
  const adminAccount = newAccount("Admin");
  const memberAccount = newAccount("Member");

  // The admin creates the organization and adds OpenAI to it.
  await signUp(admin, adminAccount);
  await admin.goto("/orgs/new");
  const orgName = `Acme ${memberAccount.email.slice(5, 13)}`;
  await admin.getByLabel("Organization name").fill(orgName);
  await admin.getByRole("button", { name: "Create organization" }).click();
  await expect(admin).toHaveURL(/\/orgs\/[a-z0-9-]+\/models$/);
  const slug = new URL(admin.url()).pathname.split("/")[2]!;
  const orgModels = new ModelsPage(admin);
  const key = emulatorKey("valid");
  await orgModels.fill("OpenAI", { key, host: orgModels.host("openai"), model: "gpt-4o" });
  await orgModels.save("OpenAI");
  await orgModels.expectStatus("OpenAI", "Valid");

  // …and invites the member.
  await admin.goto(`/orgs/${slug}/members`);
  await admin.getByLabel("Email").fill(memberAccount.email);
  await admin.getByLabel("Role").first().selectOption("member");
  await admin.getByRole("button", { name: "Invite" }).click();
  const link = await admin.getByRole("textbox", { name: "Invitation link" }).inputValue();
  expect(link).toMatch(/\/invite\/byoki_/);

  // The member signs up with the invited email and accepts.
  await signUp(member, memberAccount);
  await member.goto(new URL(link).pathname);
  await member.getByRole("button", { name: "Accept invitation" }).click();
  await expect(member).toHaveURL(new RegExp(`/orgs/${slug}/models$`));
  const readOnly = member.getByRole("region", { name: "OpenAI", exact: true });
  await expect(readOnly.getByText("Valid", { exact: true })).toBeVisible();
  await expect(readOnly.getByText("gpt-4o", { exact: true })).toBeVisible();
  await expect(readOnly.getByText(`…${key.slice(-4)}`)).toBeVisible();
  await expect(readOnly.getByRole("textbox")).toHaveCount(0);
  await expect(readOnly.getByRole("button", { name: "Save" })).toHaveCount(0);

  // On their own Models page it is shared with them; they make it their default.
  await member.goto("/agent/models");
  const shared = member.getByRole("region", { name: "Shared with you" });
  const sharedCard = shared.getByRole("region", { name: "OpenAI", exact: true });
  await expect(sharedCard).toContainText(orgName);
  await sharedCard.getByRole("button", { name: "Set as Default" }).click();
  await expect(sharedCard.getByText("Default", { exact: true })).toBeVisible();

  const token = await new TokensPage(member).create("member agent");
  const fetched = await fetchConfig(member.request, token);
  expect(fetched.status()).toBe(200);
  // Org credentials default to gateway delivery: the agent gets BYOK's gateway and its own token.
  expect(await fetched.json()).toMatchObject({
    delivery: "gateway",
    provider: "openai",
    apiKey: token,
    source: { type: "org", name: orgName },
  });

  // The admin removes the member.
  await admin.goto(`/orgs/${slug}/members`);
  const row = admin.getByRole("row").filter({ hasText: memberAccount.email });
  await row.getByRole("button", { name: "Remove" }).click();
  await admin.getByRole("alertdialog").getByRole("button", { name: "Remove" }).click();
  await expect(admin.getByRole("row").filter({ hasText: memberAccount.email })).toHaveCount(0);

  // The member's very next fetch no longer resolves to it; their dashboard says why.
  const after = await fetchConfig(member.request, token);
  expect(after.status()).toBe(404);
  expect(await after.text()).not.toContain(key);
  await member.goto("/agent/models");
  await expect(member.getByText(/was cleared because you no longer have access/)).toBeVisible();
  await expect(member.getByRole("region", { name: "Shared with you" })).toHaveCount(0);
  await member.goto(`/orgs/${slug}/models`);
  await expect(member.getByRole("heading", { name: "Organization not found" })).toBeVisible();

  // The scan: the key is in no page or response the member's browser received.
  const bodies = await bodiesSeenByMember();
  expect(bodies.length).toBeGreaterThan(10);
  for (const { url, body } of bodies) {
    expect.soft(body.includes(key), `key found in ${url}`).toBe(false);
    expect.soft(body.includes(key.slice(-12)), `key tail found in ${url}`).toBe(false);
  }
  await adminContext.close();
  await memberContext.close();
});
