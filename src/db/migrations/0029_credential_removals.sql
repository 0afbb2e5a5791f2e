ALTER TABLE "credentials" ADD COLUMN "removed_by_name" text;--> statement-breakpoint
ALTER TABLE "credentials" ADD COLUMN "removed_at" timestamp with time zone;