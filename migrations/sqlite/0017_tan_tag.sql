CREATE TABLE `chat_log` (
	`chat_id` text NOT NULL,
	`pos` integer NOT NULL,
	`type` text NOT NULL,
	`data` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`chat_id`, `pos`),
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `chat_log_at` ON `chat_log` (`at`);--> statement-breakpoint
ALTER TABLE `chats` ADD `log_pos` integer DEFAULT 0 NOT NULL;