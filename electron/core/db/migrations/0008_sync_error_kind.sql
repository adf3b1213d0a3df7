ALTER TABLE `sync_cursors` ADD `last_error_code` text;--> statement-breakpoint
ALTER TABLE `sync_cursors` ADD `last_error_kind` text;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `error_code` text;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `error_kind` text;--> statement-breakpoint
UPDATE `sync_cursors` SET `last_error_code` = substr(`last_error`, 1, instr(`last_error`, ':') - 1), `last_error` = ltrim(substr(`last_error`, instr(`last_error`, ':') + 1)) WHERE substr(`last_error`, 1, instr(`last_error`, ':') - 1) IN ('VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT', 'INVALID_STATE', 'UNAUTHENTICATED', 'SHOP_AUTH_EXPIRED', 'PLATFORM_ERROR', 'INTERNAL');--> statement-breakpoint
UPDATE `sync_cursors` SET `last_error_code` = coalesce(`last_error_code`, 'INTERNAL'), `last_error_kind` = CASE `last_error_code` WHEN 'SHOP_AUTH_EXPIRED' THEN 'auth' ELSE 'retryable' END WHERE `last_error` IS NOT NULL;--> statement-breakpoint
UPDATE `sync_runs` SET `error_code` = substr(`error`, 1, instr(`error`, ':') - 1), `error` = ltrim(substr(`error`, instr(`error`, ':') + 1)) WHERE substr(`error`, 1, instr(`error`, ':') - 1) IN ('VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT', 'INVALID_STATE', 'UNAUTHENTICATED', 'SHOP_AUTH_EXPIRED', 'PLATFORM_ERROR', 'INTERNAL');--> statement-breakpoint
UPDATE `sync_runs` SET `error_code` = coalesce(`error_code`, 'INTERNAL'), `error_kind` = CASE `error_code` WHEN 'SHOP_AUTH_EXPIRED' THEN 'auth' ELSE 'retryable' END WHERE `error` IS NOT NULL;
