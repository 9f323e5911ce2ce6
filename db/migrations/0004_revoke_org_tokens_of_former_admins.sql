-- Org tokens now die with their creator's right to make them (removed, left, or demoted below
-- admin). Tokens created before that rule by people who already lost the right are revoked here,
-- once, with an entry in the organization's activity log for each.
WITH revoked AS (
  UPDATE "agent_tokens" t SET "revoked_at" = now()
  WHERE t."owner_org_id" IS NOT NULL
    AND t."revoked_at" IS NULL
    AND (t."expires_at" IS NULL OR t."expires_at" > now())
    AND NOT EXISTS (
      SELECT 1 FROM "memberships" m
      WHERE m."org_id" = t."owner_org_id" AND m."user_id" = t."created_by_user_id" AND m."role" IN ('owner', 'admin')
    )
  RETURNING t."id", t."owner_org_id", t."name", t."last_four"
)
INSERT INTO "audit_events" ("kind", "org_id", "target_type", "target_id", "details")
SELECT 'token.revoked', "owner_org_id", 'token', "id"::text,
  jsonb_build_object('name', "name", 'hint', "last_four", 'reason', 'creator_not_admin')
FROM revoked;
