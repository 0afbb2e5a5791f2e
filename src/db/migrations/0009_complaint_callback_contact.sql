ALTER TABLE "complaints" ADD COLUMN "callback_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "callback_phone" text DEFAULT '' NOT NULL;