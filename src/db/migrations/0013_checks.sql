CREATE SEQUENCE "public"."check_ref_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "check_readings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"office_id" text NOT NULL,
	"number" integer DEFAULT nextval('check_ref_seq') NOT NULL,
	"check_id" text NOT NULL,
	"check_name" text NOT NULL,
	"day" date NOT NULL,
	"due_time" text NOT NULL,
	"values" jsonb NOT NULL,
	"out_of_range" boolean NOT NULL,
	"action_taken" text,
	"recorded_by_key" text NOT NULL,
	"recorded_by_name" text NOT NULL,
	"recorded_by_platform" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "check_readings_number_idx" ON "check_readings" USING btree ("office_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "check_readings_slot_idx" ON "check_readings" USING btree ("office_id","check_id","day","due_time");