CREATE TABLE `claims` (
	`order_id` text PRIMARY KEY NOT NULL,
	`station_id` text,
	`station_name` text,
	`user_name` text,
	`expires_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `claims_station_idx` ON `claims` (`station_id`,`expires_at`);--> statement-breakpoint
CREATE TABLE `hub_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`details` text DEFAULT '{}' NOT NULL,
	`raised_at` integer NOT NULL,
	`resolved_at` integer
);
--> statement-breakpoint
CREATE INDEX `hub_alerts_raised_idx` ON `hub_alerts` (`raised_at`);