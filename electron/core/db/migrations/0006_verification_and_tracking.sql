CREATE TABLE `tracking_events` (
	`id` text PRIMARY KEY NOT NULL,
	`package_id` text NOT NULL,
	`at` integer NOT NULL,
	`status` text NOT NULL,
	`description` text NOT NULL,
	`location` text,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tracking_events_uq` ON `tracking_events` (`package_id`,`at`,`description`);--> statement-breakpoint
CREATE INDEX `tracking_events_package_idx` ON `tracking_events` (`package_id`,`at`);--> statement-breakpoint
ALTER TABLE `packages` ADD `printed_at` integer;--> statement-breakpoint
ALTER TABLE `packages` ADD `verified_at` integer;--> statement-breakpoint
ALTER TABLE `packages` ADD `verified_by` text;--> statement-breakpoint
ALTER TABLE `packages` ADD `shipped_at` integer;--> statement-breakpoint
ALTER TABLE `packages` ADD `tracking_state` text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE `packages` ADD `last_trace_at` integer;--> statement-breakpoint
ALTER TABLE `packages` ADD `signed_at` integer;--> statement-breakpoint
CREATE INDEX `packages_tracking_idx` ON `packages` (`tracking_state`,`last_trace_at`);--> statement-breakpoint
ALTER TABLE `skus` ADD `location` text;