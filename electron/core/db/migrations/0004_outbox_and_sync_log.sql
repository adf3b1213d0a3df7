CREATE TABLE `pushes` (
	`id` text PRIMARY KEY NOT NULL,
	`op_id` text NOT NULL,
	`order_id` text NOT NULL,
	`shop_id` text NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`done_at` integer,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pushes_state_idx` ON `pushes` (`state`,`next_at`);--> statement-breakpoint
CREATE INDEX `pushes_order_idx` ON `pushes` (`order_id`,`kind`,`created_at`);--> statement-breakpoint
CREATE INDEX `pushes_shop_idx` ON `pushes` (`shop_id`,`state`);--> statement-breakpoint
CREATE INDEX `pushes_op_idx` ON `pushes` (`op_id`,`state`);--> statement-breakpoint
CREATE TABLE `sync_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`trigger` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`pulled` integer DEFAULT 0 NOT NULL,
	`changed` integer DEFAULT 0 NOT NULL,
	`quarantined` integer DEFAULT 0 NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `sync_runs_shop_idx` ON `sync_runs` (`shop_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `sync_runs_started_idx` ON `sync_runs` (`started_at`);--> statement-breakpoint
ALTER TABLE `orders` ADD `carrier_code` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `waybill_no` text;