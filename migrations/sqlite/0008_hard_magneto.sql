CREATE TABLE `chat_drafts` (
	`chat_id` text NOT NULL,
	`user_id` text NOT NULL,
	`text` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`chat_id`, `user_id`),
	FOREIGN KEY (`chat_id`,`user_id`) REFERENCES `chat_members`(`chat_id`,`user_id`) ON UPDATE no action ON DELETE cascade
);
