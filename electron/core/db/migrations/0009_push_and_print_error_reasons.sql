ALTER TABLE `print_jobs` ADD `last_error_reason` text;--> statement-breakpoint
ALTER TABLE `print_jobs` ADD `last_error_details` text;--> statement-breakpoint
ALTER TABLE `pushes` ADD `last_error_code` text;--> statement-breakpoint
ALTER TABLE `pushes` ADD `last_error_kind` text;--> statement-breakpoint
ALTER TABLE `pushes` ADD `last_error_reason` text;--> statement-breakpoint
ALTER TABLE `pushes` ADD `last_error_details` text;--> statement-breakpoint
UPDATE `pushes` SET `last_error_code` = substr(`last_error`, 1, instr(`last_error`, ':') - 1), `last_error` = ltrim(substr(`last_error`, instr(`last_error`, ':') + 1)) WHERE substr(`last_error`, 1, instr(`last_error`, ':') - 1) IN ('VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT', 'INVALID_STATE', 'UNAUTHENTICATED', 'SHOP_AUTH_EXPIRED', 'PLATFORM_ERROR', 'INTERNAL');--> statement-breakpoint
UPDATE `pushes` SET `last_error_kind` = 'auth' WHERE `last_error_code` = 'SHOP_AUTH_EXPIRED';
