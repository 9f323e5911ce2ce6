CREATE TABLE "credential_prices" (
	"credential_id" uuid NOT NULL,
	"model" text NOT NULL,
	"input_per_million" numeric(14, 6) NOT NULL,
	"output_per_million" numeric(14, 6) NOT NULL,
	"updated_by_user_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credential_prices_credential_id_model_pk" PRIMARY KEY("credential_id","model"),
	CONSTRAINT "credential_prices_non_negative" CHECK ("credential_prices"."input_per_million" >= 0 and "credential_prices"."output_per_million" >= 0)
);
--> statement-breakpoint
CREATE TABLE "usage_daily" (
	"day" date NOT NULL,
	"token_id" uuid NOT NULL,
	"credential_id" uuid NOT NULL,
	"model" text DEFAULT '' NOT NULL,
	"org_id" uuid,
	"user_id" uuid,
	"provider" text NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"errors" bigint DEFAULT 0 NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_daily_day_token_id_credential_id_model_pk" PRIMARY KEY("day","token_id","credential_id","model")
);
--> statement-breakpoint
CREATE TABLE "budget_counters" (
	"budget_id" uuid NOT NULL,
	"month" date NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	"threshold_notified_at" timestamp with time zone,
	"exceeded_notified_at" timestamp with time zone,
	CONSTRAINT "budget_counters_budget_id_month_pk" PRIMARY KEY("budget_id","month")
);
--> statement-breakpoint
CREATE TABLE "budgets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scope" text NOT NULL,
	"org_id" uuid,
	"credential_id" uuid,
	"user_id" uuid,
	"token_id" uuid,
	"request_limit" bigint,
	"token_limit" bigint,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "budgets_target" CHECK (("budgets"."scope" = 'credential' and "budgets"."credential_id" is not null and "budgets"."org_id" is not null and "budgets"."user_id" is null and "budgets"."token_id" is null)
       or ("budgets"."scope" = 'member' and "budgets"."user_id" is not null and "budgets"."org_id" is not null and "budgets"."credential_id" is null and "budgets"."token_id" is null)
       or ("budgets"."scope" = 'token' and "budgets"."token_id" is not null and "budgets"."credential_id" is null and "budgets"."user_id" is null)),
	CONSTRAINT "budgets_some_limit" CHECK (num_nonnulls("budgets"."request_limit", "budgets"."token_limit") >= 1),
	CONSTRAINT "budgets_positive" CHECK (coalesce("budgets"."request_limit", 1) > 0 and coalesce("budgets"."token_limit", 1) > 0)
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"webhook_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"event" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_user_id" uuid,
	"owner_org_id" uuid,
	"url" text NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"wrapped_data_key" text NOT NULL,
	"key_version" text NOT NULL,
	"events" text[] NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhooks_one_owner" CHECK (num_nonnulls("webhooks"."owner_user_id", "webhooks"."owner_org_id") = 1)
);
--> statement-breakpoint
ALTER TABLE "agent_tokens" ADD COLUMN "expiry_notified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "credential_prices" ADD CONSTRAINT "credential_prices_credential_id_provider_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."provider_credentials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential_prices" ADD CONSTRAINT "credential_prices_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_counters" ADD CONSTRAINT "budget_counters_budget_id_budgets_id_fk" FOREIGN KEY ("budget_id") REFERENCES "public"."budgets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_credential_id_provider_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."provider_credentials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_token_id_agent_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."agent_tokens"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."webhooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_owner_org_id_organizations_id_fk" FOREIGN KEY ("owner_org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "usage_daily_org_day_idx" ON "usage_daily" USING btree ("org_id","day");--> statement-breakpoint
CREATE INDEX "usage_daily_user_day_idx" ON "usage_daily" USING btree ("user_id","day");--> statement-breakpoint
CREATE INDEX "usage_daily_credential_day_idx" ON "usage_daily" USING btree ("credential_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "budgets_credential_key" ON "budgets" USING btree ("credential_id") WHERE "budgets"."scope" = 'credential';--> statement-breakpoint
CREATE UNIQUE INDEX "budgets_member_key" ON "budgets" USING btree ("org_id","user_id") WHERE "budgets"."scope" = 'member';--> statement-breakpoint
CREATE UNIQUE INDEX "budgets_token_key" ON "budgets" USING btree ("token_id") WHERE "budgets"."scope" = 'token';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_webhook_idx" ON "webhook_deliveries" USING btree ("webhook_id","created_at");--> statement-breakpoint
CREATE INDEX "webhooks_owner_user_idx" ON "webhooks" USING btree ("owner_user_id");--> statement-breakpoint
CREATE INDEX "webhooks_owner_org_idx" ON "webhooks" USING btree ("owner_org_id");--> statement-breakpoint
CREATE INDEX "webhooks_key_version_idx" ON "webhooks" USING btree ("key_version");--> statement-breakpoint
INSERT INTO "usage_daily" ("day", "token_id", "credential_id", "model", "org_id", "user_id", "provider", "requests", "errors", "input_tokens", "output_tokens")
SELECT ("at" at time zone 'UTC')::date, "token_id", "credential_id", coalesce("model", ''), max("org_id"::text)::uuid, max("user_id"::text)::uuid, max("provider"),
  count(*), count(*) FILTER (WHERE "status" >= 400), coalesce(sum("input_tokens"), 0), coalesce(sum("output_tokens"), 0)
FROM "gateway_usage"
GROUP BY 1, 2, 3, 4;
