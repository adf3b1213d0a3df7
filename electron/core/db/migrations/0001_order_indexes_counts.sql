CREATE TABLE `order_counts` (
	`shop_id` text NOT NULL,
	`queue` text NOT NULL,
	`abnormal_flags` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`shop_id`, `queue`, `abnormal_flags`)
);
--> statement-breakpoint
ALTER TABLE `orders` ADD `receiver_edited_at` integer;--> statement-breakpoint
CREATE INDEX `orders_queue_created_idx` ON `orders` (`queue`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_updated_idx` ON `orders` (`platform_updated_at`);--> statement-breakpoint
CREATE INDEX `orders_paid_fen_idx` ON `orders` (`paid_fen`);--> statement-breakpoint
CREATE INDEX `orders_province_paid_idx` ON `orders` (`receiver_province`,`paid_at`);--> statement-breakpoint
CREATE INDEX `orders_abnormal_paid_idx` ON `orders` (`paid_at`) WHERE abnormal_flags <> 0;