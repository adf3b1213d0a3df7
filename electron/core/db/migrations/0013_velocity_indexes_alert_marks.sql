CREATE TABLE `stock_alert_dirty` (
	`sku_id` text PRIMARY KEY NOT NULL,
	`since` integer NOT NULL
);
--> statement-breakpoint
DROP INDEX `order_items_sku_idx`;--> statement-breakpoint
CREATE INDEX `order_items_sku_idx` ON `order_items` (`sku_id`,`order_id`,`quantity`);--> statement-breakpoint
CREATE INDEX `orders_id_sales_idx` ON `orders` (`id`,`status`,`paid_at`);