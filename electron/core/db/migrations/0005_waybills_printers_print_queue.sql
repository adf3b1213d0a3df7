CREATE TABLE `packages` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`seq` integer NOT NULL,
	`account_id` text,
	`carrier_code` text NOT NULL,
	`waybill_no` text,
	`routing` text,
	`print_data` text,
	`state` text DEFAULT 'new' NOT NULL,
	`allocated_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `waybill_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `packages_order_seq_uq` ON `packages` (`order_id`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `packages_waybill_uq` ON `packages` (`carrier_code`,`waybill_no`);--> statement-breakpoint
CREATE INDEX `packages_state_idx` ON `packages` (`state`,`created_at`);--> statement-breakpoint
CREATE TABLE `print_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`printer_id` text NOT NULL,
	`idem_key` text NOT NULL,
	`doc_type` text NOT NULL,
	`package_id` text,
	`order_id` text,
	`payload` text NOT NULL,
	`batch_id` text,
	`seq` integer,
	`total` integer,
	`reprint_of` text,
	`reprint_reason` text,
	`state` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`confirmed_at` integer,
	FOREIGN KEY (`printer_id`) REFERENCES `printers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `print_jobs_idem_key_unique` ON `print_jobs` (`idem_key`);--> statement-breakpoint
CREATE INDEX `print_jobs_lane_idx` ON `print_jobs` (`printer_id`,`state`,`created_at`);--> statement-breakpoint
CREATE INDEX `print_jobs_package_idx` ON `print_jobs` (`package_id`);--> statement-breakpoint
CREATE INDEX `print_jobs_batch_idx` ON `print_jobs` (`batch_id`,`seq`);--> statement-breakpoint
CREATE TABLE `printers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`uri` text NOT NULL,
	`lang` text NOT NULL,
	`dpi` integer DEFAULT 203 NOT NULL,
	`documents` text DEFAULT '[]' NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`paused` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `printers_name_unique` ON `printers` (`name`);--> statement-breakpoint
CREATE TABLE `waybill_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`carrier_code` text NOT NULL,
	`kind` text NOT NULL,
	`shop_id` text,
	`settings` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `waybill_numbers` (
	`account_id` text NOT NULL,
	`waybill_no` text NOT NULL,
	`package_id` text,
	`added_at` integer NOT NULL,
	`used_at` integer,
	PRIMARY KEY(`account_id`, `waybill_no`),
	FOREIGN KEY (`account_id`) REFERENCES `waybill_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `waybill_numbers_free_idx` ON `waybill_numbers` (`account_id`,`package_id`);