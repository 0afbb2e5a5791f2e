ALTER TABLE "supply_requests" ADD COLUMN "cancel_note" text;--> statement-breakpoint
ALTER TABLE "time_off_requests" ADD COLUMN "cancel_note" text;