CREATE TABLE `call_history` (
	`id` text PRIMARY KEY NOT NULL,
	`chat_id` text NOT NULL,
	`started_by` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer NOT NULL,
	`reason` text NOT NULL,
	`participant_ids` text NOT NULL,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `call_history_chat` ON `call_history` (`chat_id`,`ended_at`,`id`);