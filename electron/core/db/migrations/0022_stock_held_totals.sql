-- Reserved per SKU and warehouse, kept by triggers: every settle batch, the stock list, pushes and
-- alerts read it, and summing the held rows instead grew with every order still waiting to ship
-- (docs/stock.md#available). The triggers run in the statement that writes a reservation, whoever
-- writes it (a command, ingest, a pull from the hub, a cascade from a deleted order), so the total
-- cannot disagree with the rows; tests hold it to Σ held after any sequence.
CREATE TABLE `stock_held_totals` (
	`sku_id` text NOT NULL,
	`warehouse_id` text NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`sku_id`, `warehouse_id`)
);
--> statement-breakpoint
-- The sums it replaces were read through this index; the trigger-kept totals need none.
DROP INDEX `stock_reservations_held_idx`;
--> statement-breakpoint
INSERT INTO `stock_held_totals` (`sku_id`, `warehouse_id`, `quantity`)
  SELECT `sku_id`, `warehouse_id`, sum(`quantity`) FROM `stock_reservations` WHERE `state` = 'held' GROUP BY 1, 2;
--> statement-breakpoint
CREATE TRIGGER `stock_held_totals_ai` AFTER INSERT ON `stock_reservations` WHEN NEW.`state` = 'held' BEGIN
  INSERT INTO `stock_held_totals` (`sku_id`, `warehouse_id`, `quantity`) VALUES (NEW.`sku_id`, NEW.`warehouse_id`, NEW.`quantity`)
    ON CONFLICT DO UPDATE SET `quantity` = `quantity` + excluded.`quantity`;
END;
--> statement-breakpoint
CREATE TRIGGER `stock_held_totals_ad` AFTER DELETE ON `stock_reservations` WHEN OLD.`state` = 'held' BEGIN
  UPDATE `stock_held_totals` SET `quantity` = `quantity` - OLD.`quantity`
    WHERE `sku_id` = OLD.`sku_id` AND `warehouse_id` = OLD.`warehouse_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `stock_held_totals_au` AFTER UPDATE OF `sku_id`, `warehouse_id`, `quantity`, `state` ON `stock_reservations`
  WHEN OLD.`state` = 'held' OR NEW.`state` = 'held'
BEGIN
  UPDATE `stock_held_totals` SET `quantity` = `quantity` - OLD.`quantity`
    WHERE OLD.`state` = 'held' AND `sku_id` = OLD.`sku_id` AND `warehouse_id` = OLD.`warehouse_id`;
  INSERT INTO `stock_held_totals` (`sku_id`, `warehouse_id`, `quantity`)
    SELECT NEW.`sku_id`, NEW.`warehouse_id`, NEW.`quantity` WHERE NEW.`state` = 'held'
    ON CONFLICT DO UPDATE SET `quantity` = `quantity` + excluded.`quantity`;
END;
