CREATE TABLE "credential_audit" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"shop_id" text NOT NULL,
	"action" text NOT NULL,
	"station_id" text,
	"user_name" text,
	"version" bigint,
	"reason" text,
	"at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shop_credentials" (
	"team_id" text NOT NULL,
	"shop_id" text NOT NULL,
	"sealed" text NOT NULL,
	"version" bigint NOT NULL,
	"station_id" text,
	"user_name" text,
	"uploaded_at" bigint NOT NULL,
	CONSTRAINT "shop_credentials_team_id_shop_id_pk" PRIMARY KEY("team_id","shop_id")
);
--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "share_credentials" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "credential_audit" ADD CONSTRAINT "credential_audit_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shop_credentials" ADD CONSTRAINT "shop_credentials_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credential_audit_team" ON "credential_audit" USING btree ("team_id","at");