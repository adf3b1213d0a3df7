CREATE TABLE "sync_leases" (
	"team_id" text NOT NULL,
	"shop_id" text NOT NULL,
	"station_id" text,
	"expires_at" bigint DEFAULT 0 NOT NULL,
	"fence" bigint DEFAULT 0 NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "sync_leases_team_id_shop_id_pk" PRIMARY KEY("team_id","shop_id")
);
--> statement-breakpoint
ALTER TABLE "sync_leases" ADD CONSTRAINT "sync_leases_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;