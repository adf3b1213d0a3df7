CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`command` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`field` text,
	`before` text,
	`after` text,
	`reason` text,
	`op_id` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_entity_idx` ON `audit_log` (`entity_id`,`at`);--> statement-breakpoint
CREATE TABLE `change_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`reason` text NOT NULL,
	`requested_by` text NOT NULL,
	`requested_at` integer NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`decision_note` text,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `change_requests_state_idx` ON `change_requests` (`state`,`requested_at`);--> statement-breakpoint
CREATE INDEX `change_requests_order_idx` ON `change_requests` (`order_id`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ops` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`hlc` text NOT NULL,
	`actor` text NOT NULL,
	`name` text NOT NULL,
	`args` text NOT NULL,
	`push_state` text,
	`push_attempts` integer DEFAULT 0 NOT NULL,
	`push_error` text,
	`hub_state` text DEFAULT 'pending' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ops_push_idx` ON `ops` (`push_state`,`at`);--> statement-breakpoint
CREATE INDEX `ops_hub_idx` ON `ops` (`hub_state`,`at`);--> statement-breakpoint
CREATE TABLE `order_items` (
	`seq` integer PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`platform_item_id` text NOT NULL,
	`platform_sku_id` text,
	`outer_sku_code` text,
	`sku_id` text,
	`title` text NOT NULL,
	`sku_name` text,
	`quantity` integer NOT NULL,
	`unit_price_fen` integer NOT NULL,
	`paid_fen` integer NOT NULL,
	`is_gift` integer DEFAULT 0 NOT NULL,
	`is_bundle` integer DEFAULT 0 NOT NULL,
	`image_url` text,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `order_items_order_line_uq` ON `order_items` (`order_id`,`line_no`);--> statement-breakpoint
CREATE INDEX `order_items_outer_sku_idx` ON `order_items` (`outer_sku_code`);--> statement-breakpoint
CREATE INDEX `order_items_sku_idx` ON `order_items` (`sku_id`);--> statement-breakpoint
CREATE TABLE `order_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`author` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `order_notes_order_idx` ON `order_notes` (`order_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `order_payloads` (
	`order_id` text PRIMARY KEY NOT NULL,
	`payload` text NOT NULL,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `order_tags` (
	`order_id` text NOT NULL,
	`tag_id` text NOT NULL,
	PRIMARY KEY(`order_id`, `tag_id`),
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `order_tags_tag_idx` ON `order_tags` (`tag_id`,`order_id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`shop_id` text NOT NULL,
	`platform` text NOT NULL,
	`platform_order_id` text NOT NULL,
	`status` text NOT NULL,
	`platform_status` text NOT NULL,
	`after_sale` text DEFAULT 'none' NOT NULL,
	`stage` text DEFAULT 'pending_review' NOT NULL,
	`hold_reason` text,
	`close_reason` text,
	`order_type` text DEFAULT 'normal' NOT NULL,
	`presale_deposit_fen` integer,
	`presale_balance_fen` integer,
	`buyer_nick` text NOT NULL,
	`buyer_message` text,
	`seller_memo` text,
	`seller_flag` integer DEFAULT 0 NOT NULL,
	`receiver_name` text NOT NULL,
	`receiver_phone` text NOT NULL,
	`receiver_province` text NOT NULL,
	`receiver_city` text NOT NULL,
	`receiver_district` text NOT NULL,
	`receiver_town` text,
	`receiver_address` text NOT NULL,
	`receiver_cipher` text,
	`goods_fen` integer NOT NULL,
	`shipping_fen` integer NOT NULL,
	`discount_fen` integer NOT NULL,
	`paid_fen` integer NOT NULL,
	`item_count` integer NOT NULL,
	`created_at` integer NOT NULL,
	`paid_at` integer,
	`platform_updated_at` integer NOT NULL,
	`shipped_at` integer,
	`local_updated_at` integer NOT NULL,
	`is_read` integer DEFAULT 0 NOT NULL,
	`abnormal_flags` integer DEFAULT 0 NOT NULL,
	`content_hash` text NOT NULL,
	`queue` text GENERATED ALWAYS AS (CASE
          WHEN status = 'unpaid' THEN 'unpaid'
          WHEN status = 'closed' THEN 'closed'
          WHEN status = 'completed' THEN 'completed'
          WHEN after_sale IN ('requested', 'in_progress') THEN 'after_sale'
          WHEN status = 'shipped' OR stage = 'shipped' THEN 'shipped'
          WHEN hold_reason IS NOT NULL THEN 'held'
          WHEN stage = 'pending_review' THEN 'pending_review'
          WHEN stage = 'awaiting_print' THEN 'awaiting_print'
          ELSE 'printed' END) STORED NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_id_uq` ON `orders` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `orders_shop_platform_order_uq` ON `orders` (`shop_id`,`platform_order_id`);--> statement-breakpoint
CREATE INDEX `orders_queue_paid_idx` ON `orders` (`queue`,`paid_at`);--> statement-breakpoint
CREATE INDEX `orders_queue_shop_paid_idx` ON `orders` (`queue`,`shop_id`,`paid_at`);--> statement-breakpoint
CREATE INDEX `orders_shop_paid_idx` ON `orders` (`shop_id`,`paid_at`);--> statement-breakpoint
CREATE INDEX `orders_paid_idx` ON `orders` (`paid_at`);--> statement-breakpoint
CREATE INDEX `orders_created_idx` ON `orders` (`created_at`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `quarantine` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`platform` text NOT NULL,
	`platform_order_id` text,
	`reason` text NOT NULL,
	`payload` text NOT NULL,
	`received_at` integer NOT NULL,
	`resolved_at` integer
);
--> statement-breakpoint
CREATE INDEX `quarantine_shop_idx` ON `quarantine` (`shop_id`,`resolved_at`);--> statement-breakpoint
CREATE TABLE `shops` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`platform` text NOT NULL,
	`state` text DEFAULT 'active' NOT NULL,
	`created_at` integer NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `skus` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`outer_sku_code` text NOT NULL,
	`name` text NOT NULL,
	`barcode` text,
	`price_fen` integer NOT NULL,
	`cost_fen` integer,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `skus_outer_code_uq` ON `skus` (`outer_sku_code`);--> statement-breakpoint
CREATE INDEX `skus_barcode_idx` ON `skus` (`barcode`);--> statement-breakpoint
CREATE TABLE `sync_cursors` (
	`shop_id` text PRIMARY KEY NOT NULL,
	`cursor_ms` integer NOT NULL,
	`last_success_at` integer,
	`last_error` text,
	`last_error_at` integer,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `tags` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`color` text DEFAULT '#1677ff' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_name_uq` ON `tags` (`name`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL
);
