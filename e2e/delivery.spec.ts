/**
 * "Agents receive": an owner switches an org credential between the key and gateway only with the
 * keyboard and the radios (it persists, and the activity log says so); a member sees the mode as
 * text and has no control for it; a personal credential starts on "The key".
 */
import { emulatorKey } from "./emulator";
import { clientAddressHeaders, expect, newAccount, signUp, test } from "./fixtures";
import { ModelsPage } from "./pages/models-page";

const GATEWAY = "Gateway only (the key never leaves BYOK)";

test("owners switch delivery on org cards; members see it read-only; personal cards start on the key", async ({ browser }) => {
  // Two accounts, an organization, an invitation, two validated saves, three reloads and three
  // screenshots: 50 s of the default 60 s in a green run, over it once under CI load.
  test.setTimeout(120_000);
  const baseURL = process.env.E2E_BASE_URL;
  const ownerContext = await browser.newContext({ baseURL, extraHTTPHeaders: clientAddressHeaders() });
  const memberContext = await browser.newContext({ baseURL, extraHTTPHeaders: clientAddressHeaders() });
  const owner = await ownerContext.newPage();
  const member = await memberContext.newPage();
  const memberAccount = newAccount("Member");

  await signUp(owner, newAccount("Owner"));
  await owner.goto("/orgs/new");
  const orgName = `Delivery ${memberAccount.email.slice(5, 13)}`;
  await owner.getByLabel("Organization name").fill(orgName);
  await owner.getByRole("button", { name: "Create organization" }).click();
  await expect(owner).toHaveURL(/\/orgs\/[a-z0-9-]+\/models$/);
  const slug = new URL(owner.url()).pathname.split("/")[2]!;
  const orgModels = new ModelsPage(owner);
  await expect(orgModels.card("OpenAI").getByRole("radiogroup", { name: "Agents receive" })).toHaveCount(0);
  await orgModels.fill("OpenAI", { key: emulatorKey("valid"), host: orgModels.host("openai"), model: "gpt-4o" });
  await orgModels.save("OpenAI");
  await orgModels.expectStatus("OpenAI", "Valid");

  // A new org credential goes through the gateway.
  const card = orgModels.card("OpenAI");
  const group = card.getByRole("radiogroup", { name: "Agents receive" });
  await expect(group.getByRole("radio", { name: GATEWAY })).toBeChecked();
  await expect(card.getByText("Gateway: 0 requests · 0 tokens (24 h)")).toBeVisible();
  await owner.screenshot({ path: "test-results/delivery/org-card-light.png", clip: (await card.boundingBox())! });

  // With the keyboard: focus the checked radio, arrow to "The key".
  // Radix checks on arrow-key focus only while the key is held (it focuses in a timeout, after
  // Playwright's instant keyup): Space checks the focused radio either way, as for a person.
  await group.getByRole("radio", { name: GATEWAY }).focus();
  await owner.keyboard.press("ArrowUp");
  await expect(group.getByRole("radio", { name: "The key", exact: true })).toBeFocused();
  await owner.keyboard.press("Space");
  await expect(group.getByRole("radio", { name: "The key", exact: true })).toBeChecked();
  await expect(owner.getByText("OpenAI: agents now receive the key")).toBeVisible();
  await expect(card.getByText(/A released key cannot be metered or taken back/)).toBeVisible();
  await owner.reload();
  await expect(orgModels.card("OpenAI").getByRole("radio", { name: "The key", exact: true })).toBeChecked();

  // And back, with the mouse.
  await orgModels.card("OpenAI").getByRole("radio", { name: GATEWAY }).click();
  await expect(owner.getByText("OpenAI: agents now go through the gateway")).toBeVisible();
  await owner.reload();
  await expect(orgModels.card("OpenAI").getByRole("radio", { name: GATEWAY })).toBeChecked();

  // Dark mode and a phone's width.
  await owner.emulateMedia({ colorScheme: "dark" });
  await owner.reload();
  await owner.screenshot({ path: "test-results/delivery/org-card-dark.png", clip: (await orgModels.card("OpenAI").boundingBox())! });
  await owner.setViewportSize({ width: 375, height: 800 });
  await orgModels.card("OpenAI").getByRole("radiogroup", { name: "Agents receive" }).scrollIntoViewIfNeeded();
  await owner.screenshot({ path: "test-results/delivery/org-card-phone.png", fullPage: false });
  await owner.emulateMedia({ colorScheme: "light" });

  // The activity log has both changes, newest first.
  await owner.goto(`/orgs/${slug}/activity`);
  await expect(owner.getByText(/set OpenAI to gateway only/)).toBeVisible();
  await expect(owner.getByText(/set OpenAI to hand out the key/)).toBeVisible();

  // A member: the mode as text, no radios.
  await owner.goto(`/orgs/${slug}/members`);
  await owner.getByLabel("Email").fill(memberAccount.email);
  await owner.getByLabel("Role").first().selectOption("member");
  await owner.getByRole("button", { name: "Invite" }).click();
  const link = await owner.getByRole("textbox", { name: "Invitation link" }).inputValue();
  await signUp(member, memberAccount);
  await member.goto(new URL(link).pathname);
  await member.getByRole("button", { name: "Accept invitation" }).click();
  await expect(member).toHaveURL(new RegExp(`/orgs/${slug}/models$`));
  const readOnly = member.getByRole("region", { name: "OpenAI", exact: true });
  await expect(readOnly.getByText(GATEWAY)).toBeVisible();
  await expect(readOnly.getByRole("radiogroup")).toHaveCount(0);
  await expect(readOnly.getByRole("radio")).toHaveCount(0);

  await member.goto("/agent/models");
  const shared = member.getByRole("region", { name: "Shared with you" }).getByRole("region", { name: "OpenAI", exact: true });
  await expect(shared.getByText(GATEWAY)).toBeVisible();
  await expect(shared.getByRole("radio")).toHaveCount(0);

  // The member's own card: "The key" by default, and theirs to change.
  const ownCard = member.getByRole("region", { name: "Your own keys" }).getByRole("region", { name: "OpenAI", exact: true });
  await ownCard.getByLabel("API Key", { exact: true }).fill(emulatorKey("valid"));
  await ownCard.getByLabel("API Host").fill(new ModelsPage(member).host("openai"));
  await ownCard.getByLabel("Model Type").fill("gpt-4o");
  await ownCard.getByRole("button", { name: "Save", exact: true }).click();
  await expect(ownCard.getByText("Valid", { exact: true })).toBeVisible();
  await expect(
    ownCard.getByRole("radiogroup", { name: "Agents receive" }).getByRole("radio", { name: "The key", exact: true }),
  ).toBeChecked();
  await expect(ownCard.getByText(/cannot be metered/)).toHaveCount(0);

  await ownerContext.close();
  await memberContext.close();
});
