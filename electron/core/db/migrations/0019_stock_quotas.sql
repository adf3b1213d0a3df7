CREATE TABLE `stock_quotas` (
	`station_id` text NOT NULL,
	`sku_id` text NOT NULL,
	`warehouse_id` text DEFAULT '' NOT NULL,
	`quantity` integer NOT NULL,
	`set_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`station_id`, `sku_id`, `warehouse_id`)
);
