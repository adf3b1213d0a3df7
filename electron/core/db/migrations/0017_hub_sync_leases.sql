CREATE TABLE `sync_leases` (
	`shop_id` text PRIMARY KEY NOT NULL,
	`station_id` text,
	`station_name` text,
	`expires_at` integer DEFAULT 0 NOT NULL,
	`fence` integer DEFAULT 0 NOT NULL
);
