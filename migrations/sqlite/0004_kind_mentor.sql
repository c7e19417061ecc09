CREATE TABLE `user_presence` (
	`user_id` text PRIMARY KEY NOT NULL,
	`last_seen_at` integer,
	`last_seen_visibility` text DEFAULT 'everyone' NOT NULL,
	`read_receipts_visibility` text DEFAULT 'everyone' NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
