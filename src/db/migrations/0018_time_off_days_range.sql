DROP INDEX "time_off_requests_days_idx";--> statement-breakpoint
CREATE INDEX "time_off_requests_days_idx" ON "time_off_requests" USING gist (daterange("start_day", "end_day", '[]'));