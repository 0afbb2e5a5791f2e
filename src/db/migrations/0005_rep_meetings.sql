CREATE TABLE "calendar_feeds" (
	"office_id" text PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rep_meetings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"office_id" text NOT NULL,
	"number" integer DEFAULT nextval('rep_meeting_ref_seq') NOT NULL,
	"slot_start" timestamp with time zone NOT NULL,
	"slot_end" timestamp with time zone NOT NULL,
	"slot_day" date NOT NULL,
	"slot_time" text NOT NULL,
	"rep_name" text NOT NULL,
	"company" text NOT NULL,
	"company_key" text NOT NULL,
	"topic" text DEFAULT '' NOT NULL,
	"contact" text DEFAULT '' NOT NULL,
	"provider_keys" text[] DEFAULT '{}'::text[] NOT NULL,
	"provider_names" text[] DEFAULT '{}'::text[] NOT NULL,
	"lunch" boolean DEFAULT false NOT NULL,
	"booker_key" text NOT NULL,
	"booker_name" text NOT NULL,
	"booker_platform" text NOT NULL,
	"booker_user_id" text NOT NULL,
	"status" text DEFAULT 'booked' NOT NULL,
	"cancelled_by_name" text,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "rep_meetings_number_idx" ON "rep_meetings" USING btree ("office_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "rep_meetings_slot_idx" ON "rep_meetings" USING btree ("office_id","slot_start") WHERE "rep_meetings"."status" = 'booked';--> statement-breakpoint
CREATE INDEX "rep_meetings_company_idx" ON "rep_meetings" USING btree ("office_id","company_key","slot_day");--> statement-breakpoint
CREATE INDEX "rep_meetings_start_idx" ON "rep_meetings" USING btree ("office_id","status","slot_start");