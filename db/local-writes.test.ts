/** Which single statements make the next agent resolution wait for the invalidation feed. */
import { describe, expect, it } from "vitest";
import { mayWrite } from "./local-writes";

describe("mayWrite", () => {
  it("counts writes to the tables whose changes are announced, as drizzle writes them", () => {
    expect(mayWrite(`update "agent_tokens" set "revoked_at" = $1 where "agent_tokens"."id" = $2`)).toBe(true);
    expect(mayWrite(`insert into "user_defaults" ("user_id", "credential_id") values ($1, $2) on conflict do update set …`)).toBe(true);
    expect(mayWrite(`delete from "organizations" where "organizations"."id" = $1`)).toBe(true);
    expect(mayWrite(`update "users" set "name" = $1 where "users"."id" = $2`)).toBe(true);
  });

  it("does not count reads, or writes to tables no answer depends on", () => {
    expect(mayWrite(`select "id" from "agent_tokens" where "token_hash" = $1`)).toBe(false);
    expect(mayWrite(`insert into "audit_events" ("kind", "details") values ($1, $2)`)).toBe(false);
    expect(mayWrite(`insert into "usage_daily" ("day") values ($1) on conflict do nothing`)).toBe(false);
    expect(mayWrite(`update "rate_limits" set "points" = "points" + 1`)).toBe(false);
  });

  it("counts what it cannot read", () => {
    expect(mayWrite(undefined)).toBe(true);
  });
});
