ALTER TABLE `chats` ADD `auto_delete_days` integer;--> statement-breakpoint
ALTER TABLE `chats` ADD `disappear_seconds` integer;--> statement-breakpoint
CREATE INDEX `chats_auto_delete` ON `chats` (`id`) WHERE auto_delete_days IS NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `expires_at` integer;--> statement-breakpoint
CREATE INDEX `messages_expiry` ON `messages` (`expires_at`) WHERE expires_at IS NOT NULL AND deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `messages_chat_created` ON `messages` (`chat_id`,`created_at`) WHERE deleted_at IS NULL;