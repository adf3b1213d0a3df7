CREATE TABLE `sku_barcodes` (
	`barcode` text PRIMARY KEY NOT NULL,
	`sku_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sku_barcodes_sku_idx` ON `sku_barcodes` (`sku_id`);--> statement-breakpoint
CREATE TABLE `stock_movements` (
	`id` text PRIMARY KEY NOT NULL,
	`sku_id` text NOT NULL,
	`warehouse_id` text NOT NULL,
	`delta` integer NOT NULL,
	`reason` text NOT NULL,
	`reference` text,
	`note` text,
	`actor` text NOT NULL,
	`at` integer NOT NULL,
	`op_id` text NOT NULL,
	`corrects_id` text,
	`request_id` text,
	FOREIGN KEY (`sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`warehouse_id`) REFERENCES `warehouses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stock_movements_balance_idx` ON `stock_movements` (`sku_id`,`warehouse_id`,`delta`);--> statement-breakpoint
CREATE INDEX `stock_movements_sku_at_idx` ON `stock_movements` (`sku_id`,`at`);--> statement-breakpoint
CREATE UNIQUE INDEX `stock_movements_corrects_uq` ON `stock_movements` (`corrects_id`);--> statement-breakpoint
CREATE INDEX `stock_movements_request_idx` ON `stock_movements` (`request_id`);--> statement-breakpoint
CREATE TABLE `warehouses` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`address` text,
	`regions` text DEFAULT '[]' NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `warehouses_code_uq` ON `warehouses` (`code`);--> statement-breakpoint
ALTER TABLE `skus` ADD `weight_g` integer;--> statement-breakpoint
ALTER TABLE `skus` ADD `image_url` text;--> statement-breakpoint
ALTER TABLE `skus` ADD `safety_stock` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `skus` ADD `low_stock_threshold` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `skus` ADD `updated_at` integer;--> statement-breakpoint
INSERT OR IGNORE INTO `sku_barcodes` (`barcode`, `sku_id`, `created_at`)
  SELECT trim(`barcode`), `id`, 0 FROM `skus` WHERE `barcode` IS NOT NULL AND trim(`barcode`) <> '';--> statement-breakpoint
CREATE TRIGGER `stock_movements_never_edited` BEFORE UPDATE ON `stock_movements`
BEGIN SELECT RAISE(ABORT, 'stock movements are never edited: record a correction instead'); END;--> statement-breakpoint
CREATE TRIGGER `stock_movements_never_deleted` BEFORE DELETE ON `stock_movements`
BEGIN SELECT RAISE(ABORT, 'stock movements are never deleted: record a correction instead'); END;
