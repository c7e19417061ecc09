-- Protocol 2 renamed two call events (past tense, issue 12). Events already queued for a
-- person keep their meaning: they are delivered under the new names after the upgrade.
UPDATE `events` SET `type` = 'call.rang' WHERE `type` = 'call.ring';--> statement-breakpoint
UPDATE `events` SET `type` = 'call.speaker_changed' WHERE `type` = 'call.active_speaker';
