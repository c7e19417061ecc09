CREATE TABLE `media` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text,
	`purpose` text NOT NULL,
	`blob_sha256` text NOT NULL,
	`size` integer NOT NULL,
	`mime` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`width` integer,
	`height` integer,
	`duration_ms` integer,
	`waveform` text,
	`placeholder` text,
	`thumbs` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`attached_at` integer,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`blob_sha256`) REFERENCES `media_blobs`(`sha256`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `media_owner` ON `media` (`owner_id`);--> statement-breakpoint
CREATE INDEX `media_blob` ON `media` (`blob_sha256`);--> statement-breakpoint
CREATE TABLE `media_blobs` (
	`sha256` text PRIMARY KEY NOT NULL,
	`size` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `media_uploads` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`purpose` text NOT NULL,
	`chat_id` text,
	`for_media_id` text,
	`name` text NOT NULL,
	`size` integer NOT NULL,
	`offset` integer DEFAULT 0 NOT NULL,
	`waveform` text,
	`duration_ms` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `media_uploads_user` ON `media_uploads` (`user_id`);--> statement-breakpoint
CREATE INDEX `media_uploads_updated` ON `media_uploads` (`updated_at`);--> statement-breakpoint
CREATE TABLE `media_variants` (
	`media_id` text NOT NULL,
	`name` text NOT NULL,
	`blob_sha256` text NOT NULL,
	`size` integer NOT NULL,
	`mime` text NOT NULL,
	`width` integer,
	`height` integer,
	PRIMARY KEY(`media_id`, `name`),
	FOREIGN KEY (`media_id`) REFERENCES `media`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`blob_sha256`) REFERENCES `media_blobs`(`sha256`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `media_variants_blob` ON `media_variants` (`blob_sha256`);--> statement-breakpoint
CREATE TABLE `message_media` (
	`message_id` text NOT NULL,
	`position` integer NOT NULL,
	`media_id` text NOT NULL,
	`chat_id` text NOT NULL,
	PRIMARY KEY(`message_id`, `position`)
);
--> statement-breakpoint
CREATE INDEX `message_media_media` ON `message_media` (`media_id`);--> statement-breakpoint
ALTER TABLE `users` ADD `avatar` text;--> statement-breakpoint
ALTER TABLE `chats` ADD `avatar` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `attachments` text;