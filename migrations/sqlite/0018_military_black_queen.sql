DROP INDEX `messages_chat_seq`;--> statement-breakpoint
DROP INDEX `messages_chat_created`;--> statement-breakpoint
ALTER TABLE `chats` ADD `auto_deleted_seq` integer DEFAULT 0 NOT NULL;