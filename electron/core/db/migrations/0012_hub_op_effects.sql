CREATE TABLE `op_effects` (
	`id` integer PRIMARY KEY NOT NULL,
	`op_id` text,
	`tbl` text NOT NULL,
	`key` text NOT NULL,
	`cols` text,
	`kind` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `op_effects_op_idx` ON `op_effects` (`op_id`);--> statement-breakpoint
CREATE INDEX `op_effects_unassigned_idx` ON `op_effects` (`id`) WHERE op_id IS NULL;--> statement-breakpoint
ALTER TABLE `ops` ADD `seq` integer;--> statement-breakpoint
ALTER TABLE `ops` ADD `hub_reason` text;--> statement-breakpoint
ALTER TABLE `ops` ADD `hub_details` text;--> statement-breakpoint
CREATE UNIQUE INDEX `ops_seq_uq` ON `ops` (`seq`);--> statement-breakpoint
-- Effect triggers of the synced tables (electron/core/hub/triggers.ts, printed by scripts/gen-hub-triggers.ts).
-- Ops written before this migration keep a null seq: they were never meant for a hub, and joining marks them local.
CREATE TRIGGER `hub_fx_shops_ai` AFTER INSERT ON `shops` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('shops', json_array(NEW.`id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_shops_au` AFTER UPDATE OF `id`, `name`, `platform`, `state`, `created_at`, `settings` ON `shops` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'shops', json_array(OLD.`id`), NULL, 'd' WHERE OLD.`id` IS NOT NEW.`id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'shops', json_array(NEW.`id`), CASE WHEN OLD.`id` IS NOT NEW.`id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`id` IS NOT NEW.`id` THEN 'id' END, CASE WHEN OLD.`name` IS NOT NEW.`name` THEN 'name' END, CASE WHEN OLD.`platform` IS NOT NEW.`platform` THEN 'platform' END, CASE WHEN OLD.`state` IS NOT NEW.`state` THEN 'state' END, CASE WHEN OLD.`created_at` IS NOT NEW.`created_at` THEN 'created_at' END, CASE WHEN OLD.`settings` IS NOT NEW.`settings` THEN 'settings' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_shops_ad` AFTER DELETE ON `shops` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('shops', json_array(OLD.`id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_sync_cursors_ai` AFTER INSERT ON `sync_cursors` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('sync_cursors', json_array(NEW.`shop_id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_sync_cursors_au` AFTER UPDATE OF `shop_id`, `cursor_ms`, `last_success_at`, `last_error`, `last_error_code`, `last_error_kind`, `last_error_at` ON `sync_cursors` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'sync_cursors', json_array(OLD.`shop_id`), NULL, 'd' WHERE OLD.`shop_id` IS NOT NEW.`shop_id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'sync_cursors', json_array(NEW.`shop_id`), CASE WHEN OLD.`shop_id` IS NOT NEW.`shop_id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`shop_id` IS NOT NEW.`shop_id` THEN 'shop_id' END, CASE WHEN OLD.`cursor_ms` IS NOT NEW.`cursor_ms` THEN 'cursor_ms' END, CASE WHEN OLD.`last_success_at` IS NOT NEW.`last_success_at` THEN 'last_success_at' END, CASE WHEN OLD.`last_error` IS NOT NEW.`last_error` THEN 'last_error' END, CASE WHEN OLD.`last_error_code` IS NOT NEW.`last_error_code` THEN 'last_error_code' END, CASE WHEN OLD.`last_error_kind` IS NOT NEW.`last_error_kind` THEN 'last_error_kind' END, CASE WHEN OLD.`last_error_at` IS NOT NEW.`last_error_at` THEN 'last_error_at' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_sync_cursors_ad` AFTER DELETE ON `sync_cursors` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('sync_cursors', json_array(OLD.`shop_id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_orders_ai` AFTER INSERT ON `orders` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('orders', json_array(NEW.`id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_orders_au` AFTER UPDATE OF `id`, `shop_id`, `platform`, `platform_order_id`, `status`, `platform_status`, `after_sale`, `order_type`, `presale_deposit_fen`, `presale_balance_fen`, `buyer_nick`, `buyer_message`, `receiver_cipher`, `goods_fen`, `shipping_fen`, `discount_fen`, `paid_fen`, `item_count`, `created_at`, `paid_at`, `platform_updated_at`, `shipped_at`, `carrier_code`, `waybill_no`, `content_hash`, `stage`, `hold_reason`, `close_reason`, `seller_memo`, `seller_flag`, `receiver_name`, `receiver_phone`, `receiver_province`, `receiver_city`, `receiver_district`, `receiver_town`, `receiver_address`, `receiver_edited_at`, `local_updated_at`, `stock_state`, `stock_short_reason`, `abnormal_flags` ON `orders` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'orders', json_array(OLD.`id`), NULL, 'd' WHERE OLD.`id` IS NOT NEW.`id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'orders', json_array(NEW.`id`), CASE WHEN OLD.`id` IS NOT NEW.`id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`id` IS NOT NEW.`id` THEN 'id' END, CASE WHEN OLD.`shop_id` IS NOT NEW.`shop_id` THEN 'shop_id' END, CASE WHEN OLD.`platform` IS NOT NEW.`platform` THEN 'platform' END, CASE WHEN OLD.`platform_order_id` IS NOT NEW.`platform_order_id` THEN 'platform_order_id' END, CASE WHEN OLD.`status` IS NOT NEW.`status` THEN 'status' END, CASE WHEN OLD.`platform_status` IS NOT NEW.`platform_status` THEN 'platform_status' END, CASE WHEN OLD.`after_sale` IS NOT NEW.`after_sale` THEN 'after_sale' END, CASE WHEN OLD.`order_type` IS NOT NEW.`order_type` THEN 'order_type' END, CASE WHEN OLD.`presale_deposit_fen` IS NOT NEW.`presale_deposit_fen` THEN 'presale_deposit_fen' END, CASE WHEN OLD.`presale_balance_fen` IS NOT NEW.`presale_balance_fen` THEN 'presale_balance_fen' END, CASE WHEN OLD.`buyer_nick` IS NOT NEW.`buyer_nick` THEN 'buyer_nick' END, CASE WHEN OLD.`buyer_message` IS NOT NEW.`buyer_message` THEN 'buyer_message' END, CASE WHEN OLD.`receiver_cipher` IS NOT NEW.`receiver_cipher` THEN 'receiver_cipher' END, CASE WHEN OLD.`goods_fen` IS NOT NEW.`goods_fen` THEN 'goods_fen' END, CASE WHEN OLD.`shipping_fen` IS NOT NEW.`shipping_fen` THEN 'shipping_fen' END, CASE WHEN OLD.`discount_fen` IS NOT NEW.`discount_fen` THEN 'discount_fen' END, CASE WHEN OLD.`paid_fen` IS NOT NEW.`paid_fen` THEN 'paid_fen' END, CASE WHEN OLD.`item_count` IS NOT NEW.`item_count` THEN 'item_count' END, CASE WHEN OLD.`created_at` IS NOT NEW.`created_at` THEN 'created_at' END, CASE WHEN OLD.`paid_at` IS NOT NEW.`paid_at` THEN 'paid_at' END, CASE WHEN OLD.`platform_updated_at` IS NOT NEW.`platform_updated_at` THEN 'platform_updated_at' END, CASE WHEN OLD.`shipped_at` IS NOT NEW.`shipped_at` THEN 'shipped_at' END, CASE WHEN OLD.`carrier_code` IS NOT NEW.`carrier_code` THEN 'carrier_code' END, CASE WHEN OLD.`waybill_no` IS NOT NEW.`waybill_no` THEN 'waybill_no' END, CASE WHEN OLD.`content_hash` IS NOT NEW.`content_hash` THEN 'content_hash' END, CASE WHEN OLD.`stage` IS NOT NEW.`stage` THEN 'stage' END, CASE WHEN OLD.`hold_reason` IS NOT NEW.`hold_reason` THEN 'hold_reason' END, CASE WHEN OLD.`close_reason` IS NOT NEW.`close_reason` THEN 'close_reason' END, CASE WHEN OLD.`seller_memo` IS NOT NEW.`seller_memo` THEN 'seller_memo' END, CASE WHEN OLD.`seller_flag` IS NOT NEW.`seller_flag` THEN 'seller_flag' END, CASE WHEN OLD.`receiver_name` IS NOT NEW.`receiver_name` THEN 'receiver_name' END, CASE WHEN OLD.`receiver_phone` IS NOT NEW.`receiver_phone` THEN 'receiver_phone' END, CASE WHEN OLD.`receiver_province` IS NOT NEW.`receiver_province` THEN 'receiver_province' END, CASE WHEN OLD.`receiver_city` IS NOT NEW.`receiver_city` THEN 'receiver_city' END, CASE WHEN OLD.`receiver_district` IS NOT NEW.`receiver_district` THEN 'receiver_district' END, CASE WHEN OLD.`receiver_town` IS NOT NEW.`receiver_town` THEN 'receiver_town' END, CASE WHEN OLD.`receiver_address` IS NOT NEW.`receiver_address` THEN 'receiver_address' END, CASE WHEN OLD.`receiver_edited_at` IS NOT NEW.`receiver_edited_at` THEN 'receiver_edited_at' END, CASE WHEN OLD.`local_updated_at` IS NOT NEW.`local_updated_at` THEN 'local_updated_at' END, CASE WHEN OLD.`stock_state` IS NOT NEW.`stock_state` THEN 'stock_state' END, CASE WHEN OLD.`stock_short_reason` IS NOT NEW.`stock_short_reason` THEN 'stock_short_reason' END, CASE WHEN OLD.`abnormal_flags` IS NOT NEW.`abnormal_flags` THEN 'abnormal_flags' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_orders_ad` AFTER DELETE ON `orders` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('orders', json_array(OLD.`id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_order_items_ai` AFTER INSERT ON `order_items` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('order_items', json_array(NEW.`order_id`, NEW.`line_no`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_order_items_au` AFTER UPDATE OF `order_id`, `line_no`, `platform_item_id`, `platform_sku_id`, `outer_sku_code`, `title`, `sku_name`, `quantity`, `unit_price_fen`, `paid_fen`, `is_gift`, `is_bundle`, `image_url`, `sku_id` ON `order_items` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'order_items', json_array(OLD.`order_id`, OLD.`line_no`), NULL, 'd' WHERE OLD.`order_id` IS NOT NEW.`order_id` OR OLD.`line_no` IS NOT NEW.`line_no`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'order_items', json_array(NEW.`order_id`, NEW.`line_no`), CASE WHEN OLD.`order_id` IS NOT NEW.`order_id` OR OLD.`line_no` IS NOT NEW.`line_no` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`order_id` IS NOT NEW.`order_id` THEN 'order_id' END, CASE WHEN OLD.`line_no` IS NOT NEW.`line_no` THEN 'line_no' END, CASE WHEN OLD.`platform_item_id` IS NOT NEW.`platform_item_id` THEN 'platform_item_id' END, CASE WHEN OLD.`platform_sku_id` IS NOT NEW.`platform_sku_id` THEN 'platform_sku_id' END, CASE WHEN OLD.`outer_sku_code` IS NOT NEW.`outer_sku_code` THEN 'outer_sku_code' END, CASE WHEN OLD.`title` IS NOT NEW.`title` THEN 'title' END, CASE WHEN OLD.`sku_name` IS NOT NEW.`sku_name` THEN 'sku_name' END, CASE WHEN OLD.`quantity` IS NOT NEW.`quantity` THEN 'quantity' END, CASE WHEN OLD.`unit_price_fen` IS NOT NEW.`unit_price_fen` THEN 'unit_price_fen' END, CASE WHEN OLD.`paid_fen` IS NOT NEW.`paid_fen` THEN 'paid_fen' END, CASE WHEN OLD.`is_gift` IS NOT NEW.`is_gift` THEN 'is_gift' END, CASE WHEN OLD.`is_bundle` IS NOT NEW.`is_bundle` THEN 'is_bundle' END, CASE WHEN OLD.`image_url` IS NOT NEW.`image_url` THEN 'image_url' END, CASE WHEN OLD.`sku_id` IS NOT NEW.`sku_id` THEN 'sku_id' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_order_items_ad` AFTER DELETE ON `order_items` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('order_items', json_array(OLD.`order_id`, OLD.`line_no`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_tags_ai` AFTER INSERT ON `tags` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('tags', json_array(NEW.`id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_tags_au` AFTER UPDATE OF `id`, `name`, `color` ON `tags` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'tags', json_array(OLD.`id`), NULL, 'd' WHERE OLD.`id` IS NOT NEW.`id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'tags', json_array(NEW.`id`), CASE WHEN OLD.`id` IS NOT NEW.`id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`id` IS NOT NEW.`id` THEN 'id' END, CASE WHEN OLD.`name` IS NOT NEW.`name` THEN 'name' END, CASE WHEN OLD.`color` IS NOT NEW.`color` THEN 'color' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_tags_ad` AFTER DELETE ON `tags` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('tags', json_array(OLD.`id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_order_tags_ai` AFTER INSERT ON `order_tags` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('order_tags', json_array(NEW.`order_id`, NEW.`tag_id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_order_tags_au` AFTER UPDATE OF `order_id`, `tag_id` ON `order_tags` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'order_tags', json_array(OLD.`order_id`, OLD.`tag_id`), NULL, 'd' WHERE OLD.`order_id` IS NOT NEW.`order_id` OR OLD.`tag_id` IS NOT NEW.`tag_id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'order_tags', json_array(NEW.`order_id`, NEW.`tag_id`), CASE WHEN OLD.`order_id` IS NOT NEW.`order_id` OR OLD.`tag_id` IS NOT NEW.`tag_id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`order_id` IS NOT NEW.`order_id` THEN 'order_id' END, CASE WHEN OLD.`tag_id` IS NOT NEW.`tag_id` THEN 'tag_id' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_order_tags_ad` AFTER DELETE ON `order_tags` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('order_tags', json_array(OLD.`order_id`, OLD.`tag_id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_order_notes_ai` AFTER INSERT ON `order_notes` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('order_notes', json_array(NEW.`id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_order_notes_au` AFTER UPDATE OF `id`, `order_id`, `author`, `body`, `created_at` ON `order_notes` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'order_notes', json_array(OLD.`id`), NULL, 'd' WHERE OLD.`id` IS NOT NEW.`id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'order_notes', json_array(NEW.`id`), CASE WHEN OLD.`id` IS NOT NEW.`id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`id` IS NOT NEW.`id` THEN 'id' END, CASE WHEN OLD.`order_id` IS NOT NEW.`order_id` THEN 'order_id' END, CASE WHEN OLD.`author` IS NOT NEW.`author` THEN 'author' END, CASE WHEN OLD.`body` IS NOT NEW.`body` THEN 'body' END, CASE WHEN OLD.`created_at` IS NOT NEW.`created_at` THEN 'created_at' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_order_notes_ad` AFTER DELETE ON `order_notes` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('order_notes', json_array(OLD.`id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_change_requests_ai` AFTER INSERT ON `change_requests` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('change_requests', json_array(NEW.`id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_change_requests_au` AFTER UPDATE OF `id`, `order_id`, `kind`, `payload`, `reason`, `requested_by`, `requested_at`, `state`, `decided_by`, `decided_at`, `decision_note` ON `change_requests` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'change_requests', json_array(OLD.`id`), NULL, 'd' WHERE OLD.`id` IS NOT NEW.`id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'change_requests', json_array(NEW.`id`), CASE WHEN OLD.`id` IS NOT NEW.`id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`id` IS NOT NEW.`id` THEN 'id' END, CASE WHEN OLD.`order_id` IS NOT NEW.`order_id` THEN 'order_id' END, CASE WHEN OLD.`kind` IS NOT NEW.`kind` THEN 'kind' END, CASE WHEN OLD.`payload` IS NOT NEW.`payload` THEN 'payload' END, CASE WHEN OLD.`reason` IS NOT NEW.`reason` THEN 'reason' END, CASE WHEN OLD.`requested_by` IS NOT NEW.`requested_by` THEN 'requested_by' END, CASE WHEN OLD.`requested_at` IS NOT NEW.`requested_at` THEN 'requested_at' END, CASE WHEN OLD.`state` IS NOT NEW.`state` THEN 'state' END, CASE WHEN OLD.`decided_by` IS NOT NEW.`decided_by` THEN 'decided_by' END, CASE WHEN OLD.`decided_at` IS NOT NEW.`decided_at` THEN 'decided_at' END, CASE WHEN OLD.`decision_note` IS NOT NEW.`decision_note` THEN 'decision_note' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_change_requests_ad` AFTER DELETE ON `change_requests` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('change_requests', json_array(OLD.`id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_audit_log_ai` AFTER INSERT ON `audit_log` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('audit_log', json_array(NEW.`id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_audit_log_au` AFTER UPDATE OF `id`, `at`, `actor`, `command`, `entity`, `entity_id`, `field`, `before`, `after`, `reason`, `op_id` ON `audit_log` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'audit_log', json_array(OLD.`id`), NULL, 'd' WHERE OLD.`id` IS NOT NEW.`id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'audit_log', json_array(NEW.`id`), CASE WHEN OLD.`id` IS NOT NEW.`id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`id` IS NOT NEW.`id` THEN 'id' END, CASE WHEN OLD.`at` IS NOT NEW.`at` THEN 'at' END, CASE WHEN OLD.`actor` IS NOT NEW.`actor` THEN 'actor' END, CASE WHEN OLD.`command` IS NOT NEW.`command` THEN 'command' END, CASE WHEN OLD.`entity` IS NOT NEW.`entity` THEN 'entity' END, CASE WHEN OLD.`entity_id` IS NOT NEW.`entity_id` THEN 'entity_id' END, CASE WHEN OLD.`field` IS NOT NEW.`field` THEN 'field' END, CASE WHEN OLD.`before` IS NOT NEW.`before` THEN 'before' END, CASE WHEN OLD.`after` IS NOT NEW.`after` THEN 'after' END, CASE WHEN OLD.`reason` IS NOT NEW.`reason` THEN 'reason' END, CASE WHEN OLD.`op_id` IS NOT NEW.`op_id` THEN 'op_id' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_audit_log_ad` AFTER DELETE ON `audit_log` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('audit_log', json_array(OLD.`id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_packages_ai` AFTER INSERT ON `packages` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('packages', json_array(NEW.`id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_packages_au` AFTER UPDATE OF `id`, `order_id`, `seq`, `account_id`, `carrier_code`, `waybill_no`, `routing`, `print_data`, `state`, `allocated_at`, `printed_at`, `verified_at`, `verified_by`, `shipped_at`, `tracking_state`, `last_trace_at`, `signed_at`, `created_at` ON `packages` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'packages', json_array(OLD.`id`), NULL, 'd' WHERE OLD.`id` IS NOT NEW.`id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'packages', json_array(NEW.`id`), CASE WHEN OLD.`id` IS NOT NEW.`id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`id` IS NOT NEW.`id` THEN 'id' END, CASE WHEN OLD.`order_id` IS NOT NEW.`order_id` THEN 'order_id' END, CASE WHEN OLD.`seq` IS NOT NEW.`seq` THEN 'seq' END, CASE WHEN OLD.`account_id` IS NOT NEW.`account_id` THEN 'account_id' END, CASE WHEN OLD.`carrier_code` IS NOT NEW.`carrier_code` THEN 'carrier_code' END, CASE WHEN OLD.`waybill_no` IS NOT NEW.`waybill_no` THEN 'waybill_no' END, CASE WHEN OLD.`routing` IS NOT NEW.`routing` THEN 'routing' END, CASE WHEN OLD.`print_data` IS NOT NEW.`print_data` THEN 'print_data' END, CASE WHEN OLD.`state` IS NOT NEW.`state` THEN 'state' END, CASE WHEN OLD.`allocated_at` IS NOT NEW.`allocated_at` THEN 'allocated_at' END, CASE WHEN OLD.`printed_at` IS NOT NEW.`printed_at` THEN 'printed_at' END, CASE WHEN OLD.`verified_at` IS NOT NEW.`verified_at` THEN 'verified_at' END, CASE WHEN OLD.`verified_by` IS NOT NEW.`verified_by` THEN 'verified_by' END, CASE WHEN OLD.`shipped_at` IS NOT NEW.`shipped_at` THEN 'shipped_at' END, CASE WHEN OLD.`tracking_state` IS NOT NEW.`tracking_state` THEN 'tracking_state' END, CASE WHEN OLD.`last_trace_at` IS NOT NEW.`last_trace_at` THEN 'last_trace_at' END, CASE WHEN OLD.`signed_at` IS NOT NEW.`signed_at` THEN 'signed_at' END, CASE WHEN OLD.`created_at` IS NOT NEW.`created_at` THEN 'created_at' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_packages_ad` AFTER DELETE ON `packages` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('packages', json_array(OLD.`id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_waybill_accounts_ai` AFTER INSERT ON `waybill_accounts` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('waybill_accounts', json_array(NEW.`id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_waybill_accounts_au` AFTER UPDATE OF `id`, `name`, `carrier_code`, `kind`, `shop_id`, `settings`, `created_at` ON `waybill_accounts` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'waybill_accounts', json_array(OLD.`id`), NULL, 'd' WHERE OLD.`id` IS NOT NEW.`id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'waybill_accounts', json_array(NEW.`id`), CASE WHEN OLD.`id` IS NOT NEW.`id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`id` IS NOT NEW.`id` THEN 'id' END, CASE WHEN OLD.`name` IS NOT NEW.`name` THEN 'name' END, CASE WHEN OLD.`carrier_code` IS NOT NEW.`carrier_code` THEN 'carrier_code' END, CASE WHEN OLD.`kind` IS NOT NEW.`kind` THEN 'kind' END, CASE WHEN OLD.`shop_id` IS NOT NEW.`shop_id` THEN 'shop_id' END, CASE WHEN OLD.`settings` IS NOT NEW.`settings` THEN 'settings' END, CASE WHEN OLD.`created_at` IS NOT NEW.`created_at` THEN 'created_at' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_waybill_accounts_ad` AFTER DELETE ON `waybill_accounts` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('waybill_accounts', json_array(OLD.`id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_products_ai` AFTER INSERT ON `products` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('products', json_array(NEW.`id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_products_au` AFTER UPDATE OF `id`, `title`, `created_at` ON `products` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'products', json_array(OLD.`id`), NULL, 'd' WHERE OLD.`id` IS NOT NEW.`id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'products', json_array(NEW.`id`), CASE WHEN OLD.`id` IS NOT NEW.`id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`id` IS NOT NEW.`id` THEN 'id' END, CASE WHEN OLD.`title` IS NOT NEW.`title` THEN 'title' END, CASE WHEN OLD.`created_at` IS NOT NEW.`created_at` THEN 'created_at' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_products_ad` AFTER DELETE ON `products` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('products', json_array(OLD.`id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_skus_ai` AFTER INSERT ON `skus` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('skus', json_array(NEW.`id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_skus_au` AFTER UPDATE OF `id`, `product_id`, `outer_sku_code`, `name`, `barcode`, `price_fen`, `cost_fen`, `location`, `weight_g`, `image_url`, `safety_stock`, `low_stock_threshold`, `lead_time_days`, `updated_at` ON `skus` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'skus', json_array(OLD.`id`), NULL, 'd' WHERE OLD.`id` IS NOT NEW.`id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'skus', json_array(NEW.`id`), CASE WHEN OLD.`id` IS NOT NEW.`id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`id` IS NOT NEW.`id` THEN 'id' END, CASE WHEN OLD.`product_id` IS NOT NEW.`product_id` THEN 'product_id' END, CASE WHEN OLD.`outer_sku_code` IS NOT NEW.`outer_sku_code` THEN 'outer_sku_code' END, CASE WHEN OLD.`name` IS NOT NEW.`name` THEN 'name' END, CASE WHEN OLD.`barcode` IS NOT NEW.`barcode` THEN 'barcode' END, CASE WHEN OLD.`price_fen` IS NOT NEW.`price_fen` THEN 'price_fen' END, CASE WHEN OLD.`cost_fen` IS NOT NEW.`cost_fen` THEN 'cost_fen' END, CASE WHEN OLD.`location` IS NOT NEW.`location` THEN 'location' END, CASE WHEN OLD.`weight_g` IS NOT NEW.`weight_g` THEN 'weight_g' END, CASE WHEN OLD.`image_url` IS NOT NEW.`image_url` THEN 'image_url' END, CASE WHEN OLD.`safety_stock` IS NOT NEW.`safety_stock` THEN 'safety_stock' END, CASE WHEN OLD.`low_stock_threshold` IS NOT NEW.`low_stock_threshold` THEN 'low_stock_threshold' END, CASE WHEN OLD.`lead_time_days` IS NOT NEW.`lead_time_days` THEN 'lead_time_days' END, CASE WHEN OLD.`updated_at` IS NOT NEW.`updated_at` THEN 'updated_at' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_skus_ad` AFTER DELETE ON `skus` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('skus', json_array(OLD.`id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_sku_barcodes_ai` AFTER INSERT ON `sku_barcodes` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('sku_barcodes', json_array(NEW.`barcode`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_sku_barcodes_au` AFTER UPDATE OF `barcode`, `sku_id`, `created_at` ON `sku_barcodes` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'sku_barcodes', json_array(OLD.`barcode`), NULL, 'd' WHERE OLD.`barcode` IS NOT NEW.`barcode`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'sku_barcodes', json_array(NEW.`barcode`), CASE WHEN OLD.`barcode` IS NOT NEW.`barcode` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`barcode` IS NOT NEW.`barcode` THEN 'barcode' END, CASE WHEN OLD.`sku_id` IS NOT NEW.`sku_id` THEN 'sku_id' END, CASE WHEN OLD.`created_at` IS NOT NEW.`created_at` THEN 'created_at' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_sku_barcodes_ad` AFTER DELETE ON `sku_barcodes` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('sku_barcodes', json_array(OLD.`barcode`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_warehouses_ai` AFTER INSERT ON `warehouses` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('warehouses', json_array(NEW.`id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_warehouses_au` AFTER UPDATE OF `id`, `code`, `name`, `address`, `regions`, `priority`, `created_at`, `updated_at` ON `warehouses` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'warehouses', json_array(OLD.`id`), NULL, 'd' WHERE OLD.`id` IS NOT NEW.`id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'warehouses', json_array(NEW.`id`), CASE WHEN OLD.`id` IS NOT NEW.`id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`id` IS NOT NEW.`id` THEN 'id' END, CASE WHEN OLD.`code` IS NOT NEW.`code` THEN 'code' END, CASE WHEN OLD.`name` IS NOT NEW.`name` THEN 'name' END, CASE WHEN OLD.`address` IS NOT NEW.`address` THEN 'address' END, CASE WHEN OLD.`regions` IS NOT NEW.`regions` THEN 'regions' END, CASE WHEN OLD.`priority` IS NOT NEW.`priority` THEN 'priority' END, CASE WHEN OLD.`created_at` IS NOT NEW.`created_at` THEN 'created_at' END, CASE WHEN OLD.`updated_at` IS NOT NEW.`updated_at` THEN 'updated_at' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_warehouses_ad` AFTER DELETE ON `warehouses` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('warehouses', json_array(OLD.`id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_stock_movements_ai` AFTER INSERT ON `stock_movements` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('stock_movements', json_array(NEW.`id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_stock_movements_au` AFTER UPDATE OF `id`, `sku_id`, `warehouse_id`, `delta`, `reason`, `reference`, `note`, `actor`, `at`, `op_id`, `corrects_id`, `request_id` ON `stock_movements` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'stock_movements', json_array(OLD.`id`), NULL, 'd' WHERE OLD.`id` IS NOT NEW.`id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'stock_movements', json_array(NEW.`id`), CASE WHEN OLD.`id` IS NOT NEW.`id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`id` IS NOT NEW.`id` THEN 'id' END, CASE WHEN OLD.`sku_id` IS NOT NEW.`sku_id` THEN 'sku_id' END, CASE WHEN OLD.`warehouse_id` IS NOT NEW.`warehouse_id` THEN 'warehouse_id' END, CASE WHEN OLD.`delta` IS NOT NEW.`delta` THEN 'delta' END, CASE WHEN OLD.`reason` IS NOT NEW.`reason` THEN 'reason' END, CASE WHEN OLD.`reference` IS NOT NEW.`reference` THEN 'reference' END, CASE WHEN OLD.`note` IS NOT NEW.`note` THEN 'note' END, CASE WHEN OLD.`actor` IS NOT NEW.`actor` THEN 'actor' END, CASE WHEN OLD.`at` IS NOT NEW.`at` THEN 'at' END, CASE WHEN OLD.`op_id` IS NOT NEW.`op_id` THEN 'op_id' END, CASE WHEN OLD.`corrects_id` IS NOT NEW.`corrects_id` THEN 'corrects_id' END, CASE WHEN OLD.`request_id` IS NOT NEW.`request_id` THEN 'request_id' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_stock_movements_ad` AFTER DELETE ON `stock_movements` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('stock_movements', json_array(OLD.`id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_bundle_components_ai` AFTER INSERT ON `bundle_components` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('bundle_components', json_array(NEW.`bundle_sku_id`, NEW.`component_sku_id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_bundle_components_au` AFTER UPDATE OF `bundle_sku_id`, `component_sku_id`, `quantity`, `updated_at` ON `bundle_components` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'bundle_components', json_array(OLD.`bundle_sku_id`, OLD.`component_sku_id`), NULL, 'd' WHERE OLD.`bundle_sku_id` IS NOT NEW.`bundle_sku_id` OR OLD.`component_sku_id` IS NOT NEW.`component_sku_id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'bundle_components', json_array(NEW.`bundle_sku_id`, NEW.`component_sku_id`), CASE WHEN OLD.`bundle_sku_id` IS NOT NEW.`bundle_sku_id` OR OLD.`component_sku_id` IS NOT NEW.`component_sku_id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`bundle_sku_id` IS NOT NEW.`bundle_sku_id` THEN 'bundle_sku_id' END, CASE WHEN OLD.`component_sku_id` IS NOT NEW.`component_sku_id` THEN 'component_sku_id' END, CASE WHEN OLD.`quantity` IS NOT NEW.`quantity` THEN 'quantity' END, CASE WHEN OLD.`updated_at` IS NOT NEW.`updated_at` THEN 'updated_at' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_bundle_components_ad` AFTER DELETE ON `bundle_components` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('bundle_components', json_array(OLD.`bundle_sku_id`, OLD.`component_sku_id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_sku_mappings_ai` AFTER INSERT ON `sku_mappings` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('sku_mappings', json_array(NEW.`shop_id`, NEW.`platform_product_id`, NEW.`platform_sku_id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_sku_mappings_au` AFTER UPDATE OF `shop_id`, `platform_product_id`, `platform_sku_id`, `outer_code`, `product_outer_code`, `title`, `spec`, `platform_stock`, `on_sale`, `sku_id`, `matched_by`, `mapped_at`, `mapped_by`, `listed_at` ON `sku_mappings` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'sku_mappings', json_array(OLD.`shop_id`, OLD.`platform_product_id`, OLD.`platform_sku_id`), NULL, 'd' WHERE OLD.`shop_id` IS NOT NEW.`shop_id` OR OLD.`platform_product_id` IS NOT NEW.`platform_product_id` OR OLD.`platform_sku_id` IS NOT NEW.`platform_sku_id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'sku_mappings', json_array(NEW.`shop_id`, NEW.`platform_product_id`, NEW.`platform_sku_id`), CASE WHEN OLD.`shop_id` IS NOT NEW.`shop_id` OR OLD.`platform_product_id` IS NOT NEW.`platform_product_id` OR OLD.`platform_sku_id` IS NOT NEW.`platform_sku_id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`shop_id` IS NOT NEW.`shop_id` THEN 'shop_id' END, CASE WHEN OLD.`platform_product_id` IS NOT NEW.`platform_product_id` THEN 'platform_product_id' END, CASE WHEN OLD.`platform_sku_id` IS NOT NEW.`platform_sku_id` THEN 'platform_sku_id' END, CASE WHEN OLD.`outer_code` IS NOT NEW.`outer_code` THEN 'outer_code' END, CASE WHEN OLD.`product_outer_code` IS NOT NEW.`product_outer_code` THEN 'product_outer_code' END, CASE WHEN OLD.`title` IS NOT NEW.`title` THEN 'title' END, CASE WHEN OLD.`spec` IS NOT NEW.`spec` THEN 'spec' END, CASE WHEN OLD.`platform_stock` IS NOT NEW.`platform_stock` THEN 'platform_stock' END, CASE WHEN OLD.`on_sale` IS NOT NEW.`on_sale` THEN 'on_sale' END, CASE WHEN OLD.`sku_id` IS NOT NEW.`sku_id` THEN 'sku_id' END, CASE WHEN OLD.`matched_by` IS NOT NEW.`matched_by` THEN 'matched_by' END, CASE WHEN OLD.`mapped_at` IS NOT NEW.`mapped_at` THEN 'mapped_at' END, CASE WHEN OLD.`mapped_by` IS NOT NEW.`mapped_by` THEN 'mapped_by' END, CASE WHEN OLD.`listed_at` IS NOT NEW.`listed_at` THEN 'listed_at' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_sku_mappings_ad` AFTER DELETE ON `sku_mappings` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('sku_mappings', json_array(OLD.`shop_id`, OLD.`platform_product_id`, OLD.`platform_sku_id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_stock_reservations_ai` AFTER INSERT ON `stock_reservations` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('stock_reservations', json_array(NEW.`id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_stock_reservations_au` AFTER UPDATE OF `id`, `order_id`, `line_no`, `sku_id`, `warehouse_id`, `quantity`, `state`, `created_at`, `settled_at`, `movement_id` ON `stock_reservations` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'stock_reservations', json_array(OLD.`id`), NULL, 'd' WHERE OLD.`id` IS NOT NEW.`id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'stock_reservations', json_array(NEW.`id`), CASE WHEN OLD.`id` IS NOT NEW.`id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`id` IS NOT NEW.`id` THEN 'id' END, CASE WHEN OLD.`order_id` IS NOT NEW.`order_id` THEN 'order_id' END, CASE WHEN OLD.`line_no` IS NOT NEW.`line_no` THEN 'line_no' END, CASE WHEN OLD.`sku_id` IS NOT NEW.`sku_id` THEN 'sku_id' END, CASE WHEN OLD.`warehouse_id` IS NOT NEW.`warehouse_id` THEN 'warehouse_id' END, CASE WHEN OLD.`quantity` IS NOT NEW.`quantity` THEN 'quantity' END, CASE WHEN OLD.`state` IS NOT NEW.`state` THEN 'state' END, CASE WHEN OLD.`created_at` IS NOT NEW.`created_at` THEN 'created_at' END, CASE WHEN OLD.`settled_at` IS NOT NEW.`settled_at` THEN 'settled_at' END, CASE WHEN OLD.`movement_id` IS NOT NEW.`movement_id` THEN 'movement_id' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_stock_reservations_ad` AFTER DELETE ON `stock_reservations` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('stock_reservations', json_array(OLD.`id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_stock_allocations_ai` AFTER INSERT ON `stock_allocations` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('stock_allocations', json_array(NEW.`shop_id`, NEW.`sku_id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_stock_allocations_au` AFTER UPDATE OF `shop_id`, `sku_id`, `mode`, `value`, `min_qty`, `max_qty`, `updated_at`, `updated_by` ON `stock_allocations` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'stock_allocations', json_array(OLD.`shop_id`, OLD.`sku_id`), NULL, 'd' WHERE OLD.`shop_id` IS NOT NEW.`shop_id` OR OLD.`sku_id` IS NOT NEW.`sku_id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'stock_allocations', json_array(NEW.`shop_id`, NEW.`sku_id`), CASE WHEN OLD.`shop_id` IS NOT NEW.`shop_id` OR OLD.`sku_id` IS NOT NEW.`sku_id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`shop_id` IS NOT NEW.`shop_id` THEN 'shop_id' END, CASE WHEN OLD.`sku_id` IS NOT NEW.`sku_id` THEN 'sku_id' END, CASE WHEN OLD.`mode` IS NOT NEW.`mode` THEN 'mode' END, CASE WHEN OLD.`value` IS NOT NEW.`value` THEN 'value' END, CASE WHEN OLD.`min_qty` IS NOT NEW.`min_qty` THEN 'min_qty' END, CASE WHEN OLD.`max_qty` IS NOT NEW.`max_qty` THEN 'max_qty' END, CASE WHEN OLD.`updated_at` IS NOT NEW.`updated_at` THEN 'updated_at' END, CASE WHEN OLD.`updated_by` IS NOT NEW.`updated_by` THEN 'updated_by' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_stock_allocations_ad` AFTER DELETE ON `stock_allocations` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('stock_allocations', json_array(OLD.`shop_id`, OLD.`sku_id`), NULL, 'd');
END;
