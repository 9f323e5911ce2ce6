CREATE TABLE "job_leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text,
	"leased_until" timestamp with time zone,
	"last_run_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "provider_credentials" ADD COLUMN "parameters" jsonb;--> statement-breakpoint
ALTER TABLE "provider_credentials" ADD COLUMN "capabilities" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "provider_credentials_validated_at_idx" ON "provider_credentials" USING btree ("validated_at");