import { describe, expect, it } from "vitest";
import type { ActivityEvent } from "@/lib/audit/events";
import { EVENT_KINDS } from "@/lib/audit/events";
import type { ActivityNames } from "@/lib/audit/load-activity";
import { describeEvent, KIND_LABELS, learnCredentials } from "./describe-event";

const names: ActivityNames = {
  tokens: { "tok-1": { name: "ci", hint: "byok_…AbCd" } },
  credentials: { "cred-1": "openai" },
  credentialOrgs: {},
  users: { "user-2": "Bob" },
};

function event(partial: Partial<ActivityEvent>): ActivityEvent {
  return {
    id: "e1",
    occurredAt: "2026-01-01T00:00:00.000Z",
    kind: "credential.created",
    actorName: "Ada",
    actorTokenId: null,
    actorTokenName: null,
    actorTokenLastFour: null,
    orgName: null,
    actorIp: "203.0.113.7",
    targetType: null,
    targetId: null,
    outcome: null,
    details: {},
    count: 1,
    ...partial,
  };
}

const sentence = (e: ActivityEvent, n = names) => {
  const d = describeEvent(e, n);
  return `${d.actor} ${d.action}${d.outcome ? ` — ${d.outcome.text}` : ""}`;
};

it("names a token and an organization the page could not look up itself", () => {
  const tokenEvent = event({
    kind: "config.fetched",
    actorName: null,
    actorTokenId: "tok-9",
    actorTokenName: "laptop",
    actorTokenLastFour: "WxYz",
    outcome: "ok",
    count: 3,
  });
  expect(describeEvent(tokenEvent, names)).toMatchObject({ actor: "Token “laptop”", via: "byok_…WxYz" });
  const orgEvent = event({ kind: "credential.created", orgName: "Acme", details: { provider: "openai", model: "gpt-4o" } });
  expect(describeEvent(orgEvent, names).action).toContain("in Acme");
  expect(describeEvent(orgEvent, { ...names, inOrgLog: true }).action).not.toContain("in Acme");
});

describe("describeEvent", () => {
  it("says who saved what, and how it checked out", () => {
    expect(sentence(event({ details: { provider: "openai", model: "gpt-4o", status: "valid" } }))).toBe(
      "Ada saved OpenAI (gpt-4o) — valid",
    );
    expect(
      sentence(
        event({ kind: "credential.validated", outcome: "invalid_key", details: { provider: "anthropic", model: "claude", saved: false } }),
      ),
    ).toBe("Ada tried to save Anthropic (claude) — invalid key, not saved");
  });

  it("names tokens, and falls back to a short id or the system", () => {
    const fetched = event({
      kind: "config.fetched",
      actorName: null,
      actorTokenId: "tok-1",
      outcome: "ok",
      count: 37,
      details: { provider: null },
    });
    expect(sentence(fetched)).toBe("Token “ci” fetched config ×37 — ok");
    expect(describeEvent(fetched, names).via).toBe("byok_…AbCd");
    expect(describeEvent(event({ actorName: null, actorTokenId: "12345678-aaaa" }), names).actor).toBe("Token 12345678…");
    expect(describeEvent(event({ actorName: null }), names).actor).toBe("System");
  });

  it("describes people and invitations", () => {
    expect(sentence(event({ kind: "member.invited", details: { email: "bob@example.com", role: "member", emailed: false } }))).toBe(
      "Ada invited bob@example.com as member",
    );
    expect(sentence(event({ kind: "member.role_changed", targetId: "user-2", details: { from: "member", to: "admin" } }))).toBe(
      "Ada changed Bob’s role from member to admin",
    );
  });

  it("says how many org tokens a membership change revoked, and names people who are gone", () => {
    expect(sentence(event({ kind: "member.removed", targetId: "user-9", details: { name: "Cy", tokensRevoked: 2 } }))).toBe(
      "Ada removed Cy from the organization (2 org tokens revoked)",
    );
    expect(sentence(event({ kind: "member.removed", targetId: "user-9", details: { tokensRevoked: 0 } }))).toBe(
      "Ada removed a member from the organization",
    );
    expect(sentence(event({ kind: "member.left", details: { tokensRevoked: 1 } }))).toBe("Ada left the organization (1 org token revoked)");
    expect(sentence(event({ kind: "token.revoked", actorName: null, details: { name: "ci", reason: "creator_not_admin" } }))).toBe(
      "System revoked token “ci”: its creator is no longer an owner or admin",
    );
    expect(
      sentence(event({ kind: "member.role_changed", targetId: "user-2", details: { from: "admin", to: "member", tokensRevoked: 3 } })),
    ).toBe("Ada changed Bob’s role from admin to member (3 org tokens revoked)");
  });

  it("names a provider by credential id, and the organization in the user's own log", () => {
    const removed = event({ kind: "credential.removed", targetType: "credential", targetId: "cred-1" });
    expect(sentence(removed)).toBe("Ada removed OpenAI");
    expect(sentence(removed, { ...names, credentialOrgs: { "cred-1": "Acme" } })).toBe("Ada removed OpenAI in Acme");
    const learned = learnCredentials([event({ targetType: "credential", targetId: "cred-9", details: { provider: "deepseek" } })], {});
    expect(
      sentence(event({ kind: "credential.removed", targetType: "credential", targetId: "cred-9" }), { ...names, credentials: learned }),
    ).toBe("Ada removed DeepSeek");
  });

  it("has plain words for every kind the server records", () => {
    expect(Object.keys(KIND_LABELS)).toEqual([...EVENT_KINDS]);
  });
});

it("says what agents receive after a delivery change", () => {
  const change = (delivery: string) =>
    event({ kind: "credential.delivery_changed", targetType: "credential", targetId: "cred-1", details: { provider: "openai", delivery } });
  expect(sentence(change("gateway"))).toBe("Ada set OpenAI to gateway only");
  expect(sentence(change("key"))).toBe("Ada set OpenAI to hand out the key");
});

it("tells profile changes in plain words", () => {
  const profile = (details: ActivityEvent["details"], kind = "profile.updated") =>
    sentence(event({ kind, targetType: "profile", targetId: "p-1", details }));
  expect(profile({ name: "coder" }, "profile.created")).toBe("Ada created profile “coder”");
  expect(profile({ name: "coder" }, "profile.deleted")).toBe("Ada deleted profile “coder”");
  expect(profile({ name: "coder", change: "renamed", from: "code" })).toBe("Ada renamed profile “code” to “coder”");
  expect(profile({ name: "coder", change: "entry_added", provider: "deepseek", model: "deepseek-chat" })).toBe(
    "Ada added DeepSeek (deepseek-chat) to profile “coder”",
  );
  expect(profile({ name: "coder", change: "entry_moved_up", model: "gpt-4o" })).toBe("Ada moved gpt-4o up in profile “coder”");
  expect(profile({ name: "coder", change: "entry_removed", model: "gpt-4o" })).toBe("Ada removed gpt-4o from profile “coder”");
});

describe("budget events", () => {
  it("says what was limited, and what a threshold reached", () => {
    expect(
      sentence(
        event({ kind: "budget.set", details: { scope: "credential", target: "OpenAI (gpt-4o)", requestLimit: 1000, tokenLimit: 2000000 } }),
      ),
    ).toBe("Ada set the monthly budget of OpenAI (gpt-4o) to 1000 requests and 2000000 tokens");
    expect(sentence(event({ kind: "budget.removed", details: { scope: "token", target: "token “ci”" } }))).toBe(
      "Ada removed the monthly budget of token “ci”",
    );
    const reached = { target: "Bob", unit: "requests", used: 800, limit: 1000 };
    expect(sentence(event({ kind: "budget.threshold", actorName: null, details: reached }))).toBe(
      "System noted that Bob’s monthly budget reached 80 % (800 of 1,000 requests) — 80 %",
    );
    expect(sentence(event({ kind: "budget.exceeded", actorName: null, details: { ...reached, used: 1000 } }))).toBe(
      "System noted that Bob’s monthly budget is spent (1,000 of 1,000 requests) — limit reached",
    );
  });
});
