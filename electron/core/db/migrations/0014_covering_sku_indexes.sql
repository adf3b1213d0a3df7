DROP INDEX `sku_mappings_sku_idx`;--> statement-breakpoint
CREATE INDEX `sku_mappings_sku_idx` ON `sku_mappings` (`sku_id`,`shop_id`,`platform_stock`);