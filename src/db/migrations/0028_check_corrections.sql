ALTER TABLE "check_readings" ADD COLUMN "original_values" jsonb;--> statement-breakpoint
ALTER TABLE "check_readings" ADD COLUMN "original_out_of_range" boolean;--> statement-breakpoint
ALTER TABLE "check_readings" ADD COLUMN "original_action_taken" text;--> statement-breakpoint
ALTER TABLE "check_readings" ADD COLUMN "corrected_by_key" text;--> statement-breakpoint
ALTER TABLE "check_readings" ADD COLUMN "corrected_by_name" text;--> statement-breakpoint
ALTER TABLE "check_readings" ADD COLUMN "corrected_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "check_readings" ADD COLUMN "correction_reason" text;--> statement-breakpoint
ALTER TABLE "check_readings" ADD COLUMN "revision" integer DEFAULT 0 NOT NULL;