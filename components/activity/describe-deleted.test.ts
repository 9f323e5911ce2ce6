import { describe, expect, it } from "vitest";
import type { ActivityEvent } from "@/lib/audit/events";
import type { ActivityNames } from "@/lib/audit/load-activity";
import { describeEvent } from "./describe-event";

const names: ActivityNames = { tokens: {}, credentials: {}, credentialOrgs: {}, users: {}, inOrgLog: true };
const event = (over: Partial<ActivityEvent>): ActivityEvent => ({
  id: "e1",
  occurredAt: new Date().toISOString(),
  kind: "member.left",
  actorName: null,
  actorTokenId: null,
  actorTokenName: null,
  actorTokenLastFour: null,
  orgName: null,
  actorIp: null,
  targetType: null,
  targetId: null,
  outcome: null,
  details: {},
  count: 1,
  ...over,
});

describe("events of a deleted account", () => {
  it("name the actor “A deleted user”, not “System”", () => {
    expect(describeEvent(event({ kind: "member.joined", details: { role: "admin", actorDeleted: true } }), names)).toMatchObject({
      actor: "A deleted user",
      action: "joined as admin",
    });
    expect(describeEvent(event({ kind: "keys.rotated" }), names).actor).toBe("System");
  });

  it("say the account was deleted when that is why they left", () => {
    const left = event({ details: { reason: "account_deleted", actorDeleted: true, tokensRevoked: 2 } });
    expect(describeEvent(left, names)).toMatchObject({
      actor: "A deleted user",
      action: "deleted their account and left the organization (2 org tokens revoked)",
    });
  });

  it("show the anonymized name where an event was about them", () => {
    const removed = event({ kind: "member.removed", actorName: "Ada", targetType: "user", details: { name: "a deleted user" } });
    expect(describeEvent(removed, names)).toMatchObject({ actor: "Ada", action: "removed a deleted user from the organization" });
  });
});
