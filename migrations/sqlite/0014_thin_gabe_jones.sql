ALTER TABLE `messages` ADD `import_source` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `import_author` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `import_mapped` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `import_missing` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `messages_import_author` ON `messages` (`chat_id`,`import_author`) WHERE import_author IS NOT NULL;