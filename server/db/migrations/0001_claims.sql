CREATE TABLE "claims" (
	"team_id" text NOT NULL,
	"order_id" text NOT NULL,
	"station_id" text,
	"user_id" text,
	"by_user_id" text,
	"expires_at" bigint DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "claims_team_id_order_id_pk" PRIMARY KEY("team_id","order_id")
);
--> statement-breakpoint
CREATE TABLE "hub_alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"details" jsonb NOT NULL,
	"raised_at" bigint NOT NULL,
	"resolved_at" bigint
);
--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub_alerts" ADD CONSTRAINT "hub_alerts_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claims_team_station" ON "claims" USING btree ("team_id","station_id");--> statement-breakpoint
CREATE UNIQUE INDEX "hub_alerts_open" ON "hub_alerts" USING btree ("team_id","kind","subject");--> statement-breakpoint
CREATE INDEX "hub_alerts_team" ON "hub_alerts" USING btree ("team_id","raised_at");