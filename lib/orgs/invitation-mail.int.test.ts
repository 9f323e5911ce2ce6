/**
 * Invitation emails go through a real SMTP server (a local sink) and link to APP_URL only, never
 * to an origin a request supplied.
 */
import { afterAll, describe, expect, it, vi } from "vitest";

const sink = await vi.hoisted(async () => {
  const { startSmtpSink } = await import("@/test/smtp-sink");
  const started = await startSmtpSink();
  process.env.SMTP_URL = started.url;
  process.env.APP_URL = "https://byok.example.com/";
  return started;
});

const { getDb } = await import("@/db/client");
const { actorOf, makeCast } = await import("@/test/orgs");
const { createInvitation, getInvitation } = await import("./invitations");

afterAll(() => sink.close());

describe("invitation email", () => {
  it("is delivered with a link under APP_URL, whatever origin the request claimed", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const { link, emailed } = await createInvitation(
      db,
      actorOf(cast.admin),
      cast.slug,
      { email: "new.hire@example.test", role: "member" },
      "https://evil.example",
    );
    expect(emailed).toBe(true);
    const mail = await sink.waitFor("new.hire@example.test");
    expect(mail.subject).toMatch(/^You're invited to Acme .* on BYOK$/);
    const [mailed] = mail.text.match(/https?:\/\/\S+/g) ?? [];
    expect(mailed).toMatch(/^https:\/\/byok\.example\.com\/invite\/byoki_[A-Za-z0-9_-]{43}$/);
    expect(mail.text).not.toContain("evil.example");
    // The page link carries the same token; the mailed link is the one that works for the invitee.
    const token = mailed!.split("/").pop()!;
    expect(link).toBe(`https://evil.example/invite/${token}`);
    expect(await getInvitation(db, token)).toMatchObject({ email: "new.hire@example.test", state: "pending" });
  });
});
