CREATE TABLE `task_events` (
	`id` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`order_id` text,
	`at` integer NOT NULL,
	`actor_id` text NOT NULL,
	`actor` text NOT NULL,
	`station` text,
	`field` text NOT NULL,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE INDEX `task_events_task_idx` ON `task_events` (`task_id`,`at`);--> statement-breakpoint
CREATE INDEX `task_events_order_idx` ON `task_events` (`order_id`,`at`);--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text,
	`title` text NOT NULL,
	`body` text DEFAULT '' NOT NULL,
	`assignee_id` text NOT NULL,
	`state` text DEFAULT 'open' NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`due_at` integer
);
--> statement-breakpoint
CREATE INDEX `tasks_assignee_idx` ON `tasks` (`assignee_id`,`state`,`updated_at`);--> statement-breakpoint
CREATE INDEX `tasks_order_idx` ON `tasks` (`order_id`);--> statement-breakpoint
ALTER TABLE `order_notes` ADD `mentions` text;--> statement-breakpoint
ALTER TABLE `order_notes` ADD `station` text;--> statement-breakpoint
-- Effect triggers (electron/core/hub/triggers.ts): order_notes re-created with its two new columns; tasks and task_events new.
DROP TRIGGER IF EXISTS `hub_fx_order_notes_ai`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `hub_fx_order_notes_au`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `hub_fx_order_notes_ad`;--> statement-breakpoint
CREATE TRIGGER `hub_fx_order_notes_ai` AFTER INSERT ON `order_notes` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('order_notes', json_array(NEW.`id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_order_notes_au` AFTER UPDATE OF `id`, `order_id`, `author`, `body`, `created_at`, `mentions`, `station` ON `order_notes` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'order_notes', json_array(OLD.`id`), NULL, 'd' WHERE OLD.`id` IS NOT NEW.`id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'order_notes', json_array(NEW.`id`), CASE WHEN OLD.`id` IS NOT NEW.`id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`id` IS NOT NEW.`id` THEN 'id' END, CASE WHEN OLD.`order_id` IS NOT NEW.`order_id` THEN 'order_id' END, CASE WHEN OLD.`author` IS NOT NEW.`author` THEN 'author' END, CASE WHEN OLD.`body` IS NOT NEW.`body` THEN 'body' END, CASE WHEN OLD.`created_at` IS NOT NEW.`created_at` THEN 'created_at' END, CASE WHEN OLD.`mentions` IS NOT NEW.`mentions` THEN 'mentions' END, CASE WHEN OLD.`station` IS NOT NEW.`station` THEN 'station' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_order_notes_ad` AFTER DELETE ON `order_notes` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('order_notes', json_array(OLD.`id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_tasks_ai` AFTER INSERT ON `tasks` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('tasks', json_array(NEW.`id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_tasks_au` AFTER UPDATE OF `id`, `order_id`, `title`, `body`, `assignee_id`, `state`, `created_by`, `created_at`, `updated_at`, `due_at` ON `tasks` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'tasks', json_array(OLD.`id`), NULL, 'd' WHERE OLD.`id` IS NOT NEW.`id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'tasks', json_array(NEW.`id`), CASE WHEN OLD.`id` IS NOT NEW.`id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`id` IS NOT NEW.`id` THEN 'id' END, CASE WHEN OLD.`order_id` IS NOT NEW.`order_id` THEN 'order_id' END, CASE WHEN OLD.`title` IS NOT NEW.`title` THEN 'title' END, CASE WHEN OLD.`body` IS NOT NEW.`body` THEN 'body' END, CASE WHEN OLD.`assignee_id` IS NOT NEW.`assignee_id` THEN 'assignee_id' END, CASE WHEN OLD.`state` IS NOT NEW.`state` THEN 'state' END, CASE WHEN OLD.`created_by` IS NOT NEW.`created_by` THEN 'created_by' END, CASE WHEN OLD.`created_at` IS NOT NEW.`created_at` THEN 'created_at' END, CASE WHEN OLD.`updated_at` IS NOT NEW.`updated_at` THEN 'updated_at' END, CASE WHEN OLD.`due_at` IS NOT NEW.`due_at` THEN 'due_at' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_tasks_ad` AFTER DELETE ON `tasks` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('tasks', json_array(OLD.`id`), NULL, 'd');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_task_events_ai` AFTER INSERT ON `task_events` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('task_events', json_array(NEW.`id`), NULL, 'i');
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_task_events_au` AFTER UPDATE OF `id`, `task_id`, `order_id`, `at`, `actor_id`, `actor`, `station`, `field`, `before`, `after` ON `task_events` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'task_events', json_array(OLD.`id`), NULL, 'd' WHERE OLD.`id` IS NOT NEW.`id`;
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) SELECT 'task_events', json_array(NEW.`id`), CASE WHEN OLD.`id` IS NOT NEW.`id` THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', CASE WHEN OLD.`id` IS NOT NEW.`id` THEN 'id' END, CASE WHEN OLD.`task_id` IS NOT NEW.`task_id` THEN 'task_id' END, CASE WHEN OLD.`order_id` IS NOT NEW.`order_id` THEN 'order_id' END, CASE WHEN OLD.`at` IS NOT NEW.`at` THEN 'at' END, CASE WHEN OLD.`actor_id` IS NOT NEW.`actor_id` THEN 'actor_id' END, CASE WHEN OLD.`actor` IS NOT NEW.`actor` THEN 'actor' END, CASE WHEN OLD.`station` IS NOT NEW.`station` THEN 'station' END, CASE WHEN OLD.`field` IS NOT NEW.`field` THEN 'field' END, CASE WHEN OLD.`before` IS NOT NEW.`before` THEN 'before' END, CASE WHEN OLD.`after` IS NOT NEW.`after` THEN 'after' END) AS c) WHERE c <> '';
END;--> statement-breakpoint
CREATE TRIGGER `hub_fx_task_events_ad` AFTER DELETE ON `task_events` WHEN (SELECT `value` FROM `meta` WHERE `key` = 'hub.capture') = '1' BEGIN
  INSERT INTO `op_effects` (`tbl`, `key`, `cols`, `kind`) VALUES ('task_events', json_array(OLD.`id`), NULL, 'd');
END;
