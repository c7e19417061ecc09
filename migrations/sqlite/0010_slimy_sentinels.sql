CREATE TABLE `notify_settings` (
	`user_id` text PRIMARY KEY NOT NULL,
	`dnd_until` integer,
	`dnd_schedule` text,
	`calls_bypass_dnd` integer DEFAULT 0 NOT NULL,
	`all_mentions_notify` integer DEFAULT 1 NOT NULL,
	`hide_content` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `push_subscriptions` (
	`session_id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`endpoint` text NOT NULL,
	`p256dh` text NOT NULL,
	`auth` text NOT NULL,
	`key_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `push_subscriptions_endpoint` ON `push_subscriptions` (`endpoint`);--> statement-breakpoint
CREATE INDEX `push_subscriptions_user` ON `push_subscriptions` (`user_id`);--> statement-breakpoint
ALTER TABLE `chat_members` ADD `notify_level` text DEFAULT 'all' NOT NULL;--> statement-breakpoint
ALTER TABLE `chat_members` ADD `mute_until` integer;--> statement-breakpoint
CREATE TRIGGER `push_subscriptions_session_revoked` AFTER UPDATE OF `revoked_at` ON `sessions` WHEN NEW.`revoked_at` IS NOT NULL BEGIN DELETE FROM `push_subscriptions` WHERE `session_id` = NEW.`id`; END;
