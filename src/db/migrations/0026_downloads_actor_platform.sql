ALTER TABLE "downloads" ADD COLUMN "actor_platform" text DEFAULT 'sandbox' NOT NULL;--> statement-breakpoint
ALTER TABLE "downloads" ADD COLUMN "actor_user_id" text DEFAULT '' NOT NULL;