CREATE TABLE "time_off_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"office_id" text NOT NULL,
	"number" integer DEFAULT nextval('time_off_ref_seq') NOT NULL,
	"requester_key" text NOT NULL,
	"requester_name" text NOT NULL,
	"requester_role" text,
	"requester_platform" text NOT NULL,
	"requester_user_id" text NOT NULL,
	"start_day" date NOT NULL,
	"end_day" date NOT NULL,
	"part" text NOT NULL,
	"type" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"working_days" double precision NOT NULL,
	"over_balance" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by_key" text,
	"decided_by_name" text,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"cancelled_by_name" text,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "time_off_requests_range_check" CHECK ("time_off_requests"."end_day" >= "time_off_requests"."start_day")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "time_off_requests_number_idx" ON "time_off_requests" USING btree ("office_id","number");--> statement-breakpoint
CREATE INDEX "time_off_requests_person_idx" ON "time_off_requests" USING btree ("office_id","requester_key","end_day");--> statement-breakpoint
CREATE INDEX "time_off_requests_days_idx" ON "time_off_requests" USING btree ("office_id","status","start_day","end_day");