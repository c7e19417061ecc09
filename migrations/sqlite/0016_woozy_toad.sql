ALTER TABLE `users` ADD `deletion_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `deletion_by` text;--> statement-breakpoint
ALTER TABLE `users` ADD `deleted_at` integer;--> statement-breakpoint
CREATE INDEX `users_deletion_at` ON `users` (`deletion_at`);