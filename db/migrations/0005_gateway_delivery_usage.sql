CREATE TABLE "gateway_usage" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gateway_usage_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone NOT NULL,
	"token_id" uuid NOT NULL,
	"user_id" uuid,
	"org_id" uuid,
	"credential_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"model" text,
	"path" text NOT NULL,
	"status" integer NOT NULL,
	"ttfb_ms" integer,
	"duration_ms" integer NOT NULL,
	"streamed" boolean DEFAULT false NOT NULL,
	"input_tokens" integer,
	"output_tokens" integer,
	CONSTRAINT "gateway_usage_status" CHECK ("gateway_usage"."status" between 100 and 599)
);
--> statement-breakpoint
ALTER TABLE "provider_credentials" ADD COLUMN "delivery" text DEFAULT 'key' NOT NULL;--> statement-breakpoint
CREATE INDEX "gateway_usage_credential_at_idx" ON "gateway_usage" USING btree ("credential_id","at");--> statement-breakpoint
CREATE INDEX "gateway_usage_org_at_idx" ON "gateway_usage" USING btree ("org_id","at");--> statement-breakpoint
CREATE INDEX "gateway_usage_user_at_idx" ON "gateway_usage" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "gateway_usage_token_at_idx" ON "gateway_usage" USING btree ("token_id","at");--> statement-breakpoint
ALTER TABLE "provider_credentials" ADD CONSTRAINT "provider_credentials_delivery" CHECK ("provider_credentials"."delivery" in ('key', 'gateway'));--> statement-breakpoint
-- Org credentials are shared with members who must never see the key: they default to the
-- gateway, existing ones included. Personal credentials keep handing out the key.
UPDATE "provider_credentials" SET "delivery" = 'gateway' WHERE "owner_org_id" IS NOT NULL;
