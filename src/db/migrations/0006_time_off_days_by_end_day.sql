DROP INDEX "time_off_requests_days_idx";--> statement-breakpoint
CREATE INDEX "time_off_requests_days_idx" ON "time_off_requests" USING btree ("office_id","status","end_day","start_day");