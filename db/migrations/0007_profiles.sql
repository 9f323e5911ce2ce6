CREATE TABLE "model_profile_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"profile_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"credential_id" uuid NOT NULL,
	"model" text NOT NULL,
	"parameters" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_profile_entries_position" CHECK ("model_profile_entries"."position" between 0 and 4)
);
--> statement-breakpoint
CREATE TABLE "model_profiles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_user_id" uuid,
	"owner_org_id" uuid,
	"name" text NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_profiles_one_owner" CHECK (num_nonnulls("model_profiles"."owner_user_id", "model_profiles"."owner_org_id") = 1),
	CONSTRAINT "model_profiles_name" CHECK ("model_profiles"."name" ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$')
);
--> statement-breakpoint
ALTER TABLE "model_profile_entries" ADD CONSTRAINT "model_profile_entries_profile_id_model_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."model_profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_profile_entries" ADD CONSTRAINT "model_profile_entries_credential_id_provider_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."provider_credentials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_profiles" ADD CONSTRAINT "model_profiles_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_profiles" ADD CONSTRAINT "model_profiles_owner_org_id_organizations_id_fk" FOREIGN KEY ("owner_org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_profiles" ADD CONSTRAINT "model_profiles_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "model_profile_entries_profile_idx" ON "model_profile_entries" USING btree ("profile_id","position");--> statement-breakpoint
CREATE INDEX "model_profile_entries_credential_idx" ON "model_profile_entries" USING btree ("credential_id");--> statement-breakpoint
CREATE UNIQUE INDEX "model_profiles_user_name_key" ON "model_profiles" USING btree ("owner_user_id","name") WHERE "model_profiles"."owner_user_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "model_profiles_org_name_key" ON "model_profiles" USING btree ("owner_org_id","name") WHERE "model_profiles"."owner_org_id" is not null;