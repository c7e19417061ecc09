CREATE TABLE `link_previews` (
	`url` text PRIMARY KEY NOT NULL,
	`preview` text,
	`fetched_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `link_previews_expires` ON `link_previews` (`expires_at`);--> statement-breakpoint
CREATE TABLE `message_previews` (
	`message_id` text PRIMARY KEY NOT NULL,
	`preview` text NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
