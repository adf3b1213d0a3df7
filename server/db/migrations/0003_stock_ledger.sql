CREATE TABLE "stock_ledger" (
	"team_id" text NOT NULL,
	"sku_id" text NOT NULL,
	"warehouse_id" text NOT NULL,
	"on_hand" bigint DEFAULT 0 NOT NULL,
	"actors" jsonb NOT NULL,
	CONSTRAINT "stock_ledger_team_id_sku_id_warehouse_id_pk" PRIMARY KEY("team_id","sku_id","warehouse_id")
);
--> statement-breakpoint
ALTER TABLE "stock_ledger" ADD CONSTRAINT "stock_ledger_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
INSERT INTO "stock_ledger" ("team_id", "sku_id", "warehouse_id", "on_hand", "actors")
SELECT "team_id", "image"->>'sku_id', "image"->>'warehouse_id', COALESCE(sum(("image"->>'delta')::bigint), 0),
       COALESCE(jsonb_agg(DISTINCT "image"->'actor') FILTER (WHERE "image"->>'actor' IS NOT NULL), '[]'::jsonb)
  FROM "rows"
 WHERE "tbl" = 'stock_movements' AND NOT "deleted" AND "image"->>'sku_id' IS NOT NULL AND "image"->>'warehouse_id' IS NOT NULL
 GROUP BY "team_id", "image"->>'sku_id', "image"->>'warehouse_id';
