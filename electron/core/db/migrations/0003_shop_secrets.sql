CREATE TABLE `shop_secrets` (
	`shop_id` text PRIMARY KEY NOT NULL,
	`ciphertext` text NOT NULL,
	`cipher_kind` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
