CREATE TABLE `bundle_components` (
	`bundle_sku_id` text NOT NULL,
	`component_sku_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`bundle_sku_id`, `component_sku_id`),
	FOREIGN KEY (`bundle_sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`component_sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `bundle_components_component_idx` ON `bundle_components` (`component_sku_id`);--> statement-breakpoint
CREATE TABLE `sku_mappings` (
	`shop_id` text NOT NULL,
	`platform_product_id` text NOT NULL,
	`platform_sku_id` text NOT NULL,
	`outer_code` text,
	`product_outer_code` text,
	`title` text NOT NULL,
	`spec` text,
	`platform_stock` integer,
	`on_sale` integer,
	`sku_id` text,
	`matched_by` text,
	`mapped_at` integer,
	`mapped_by` text,
	`listed_at` integer NOT NULL,
	PRIMARY KEY(`shop_id`, `platform_product_id`, `platform_sku_id`),
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sku_mappings_shop_sku_idx` ON `sku_mappings` (`shop_id`,`platform_sku_id`);--> statement-breakpoint
CREATE INDEX `sku_mappings_sku_idx` ON `sku_mappings` (`sku_id`);--> statement-breakpoint
CREATE INDEX `sku_mappings_outer_idx` ON `sku_mappings` (`outer_code`);--> statement-breakpoint
CREATE INDEX `sku_mappings_unmapped_idx` ON `sku_mappings` (`shop_id`) WHERE sku_id IS NULL;--> statement-breakpoint
CREATE TABLE `stock_alert_mutes` (
	`sku_id` text PRIMARY KEY NOT NULL,
	`muted_at` integer NOT NULL,
	`muted_by` text NOT NULL,
	FOREIGN KEY (`sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `stock_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`sku_id` text NOT NULL,
	`warehouse_id` text DEFAULT '' NOT NULL,
	`shop_id` text DEFAULT '' NOT NULL,
	`details` text DEFAULT '{}' NOT NULL,
	`raised_at` integer NOT NULL,
	`cleared_at` integer,
	`notified_at` integer,
	FOREIGN KEY (`sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stock_alerts_open_uq` ON `stock_alerts` (`kind`,`sku_id`,`warehouse_id`,`shop_id`) WHERE cleared_at IS NULL;--> statement-breakpoint
CREATE INDEX `stock_alerts_raised_idx` ON `stock_alerts` (`raised_at`);--> statement-breakpoint
CREATE TABLE `stock_allocations` (
	`shop_id` text NOT NULL,
	`sku_id` text NOT NULL,
	`mode` text NOT NULL,
	`value` integer NOT NULL,
	`min_qty` integer,
	`max_qty` integer,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	PRIMARY KEY(`shop_id`, `sku_id`),
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `stock_dirty` (
	`sku_id` text PRIMARY KEY NOT NULL,
	`since` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stock_pushes` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`platform_product_id` text NOT NULL,
	`platform_sku_id` text NOT NULL,
	`sku_id` text NOT NULL,
	`mode` text NOT NULL,
	`quantity` integer NOT NULL,
	`platform_before` integer,
	`sent_delta` integer,
	`platform_after` integer,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_at` integer NOT NULL,
	`last_error` text,
	`last_error_code` text,
	`last_error_reason` text,
	`last_error_details` text,
	`locked_by_promotion` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`done_at` integer,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stock_pushes_state_idx` ON `stock_pushes` (`state`,`next_at`);--> statement-breakpoint
CREATE INDEX `stock_pushes_target_idx` ON `stock_pushes` (`shop_id`,`platform_product_id`,`platform_sku_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `stock_pushes_sku_idx` ON `stock_pushes` (`sku_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `stock_reservations` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`sku_id` text NOT NULL,
	`warehouse_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`state` text DEFAULT 'held' NOT NULL,
	`created_at` integer NOT NULL,
	`settled_at` integer,
	`movement_id` text,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`warehouse_id`) REFERENCES `warehouses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stock_reservations_held_idx` ON `stock_reservations` (`sku_id`,`warehouse_id`,`quantity`) WHERE state = 'held';--> statement-breakpoint
CREATE UNIQUE INDEX `stock_reservations_held_uq` ON `stock_reservations` (`order_id`,`line_no`,`sku_id`) WHERE state = 'held';--> statement-breakpoint
CREATE INDEX `stock_reservations_order_idx` ON `stock_reservations` (`order_id`,`state`);--> statement-breakpoint
CREATE INDEX `stock_reservations_sku_created_idx` ON `stock_reservations` (`sku_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `orders` ADD `stock_state` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `stock_short_reason` text;--> statement-breakpoint
CREATE INDEX `orders_stock_short_idx` ON `orders` (`paid_at`) WHERE stock_state = 'short';--> statement-breakpoint
ALTER TABLE `skus` ADD `lead_time_days` integer DEFAULT 7 NOT NULL;