CREATE TABLE "complaints" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"office_id" text NOT NULL,
	"number" integer DEFAULT nextval('complaint_ref_seq') NOT NULL,
	"reporter_key" text NOT NULL,
	"reporter_name" text NOT NULL,
	"reporter_platform" text NOT NULL,
	"reporter_user_id" text NOT NULL,
	"anonymous" boolean DEFAULT false NOT NULL,
	"about" text NOT NULL,
	"category" text NOT NULL,
	"severity" text NOT NULL,
	"description" text NOT NULL,
	"occurred_when" text DEFAULT '' NOT NULL,
	"desired_outcome" text DEFAULT '' NOT NULL,
	"wants_callback" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"ack_due_day" date NOT NULL,
	"resolve_due_day" date NOT NULL,
	"owner_key" text,
	"owner_name" text,
	"owner_platform" text,
	"owner_user_id" text,
	"acknowledged_at" timestamp with time zone,
	"resolved_by_name" text,
	"resolved_at" timestamp with time zone,
	"resolution" text,
	"patient_contacted" boolean,
	"reopened_by_name" text,
	"reopened_at" timestamp with time zone,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "complaints_description_check" CHECK (char_length("complaints"."description") between 1 and 3000)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "complaints_number_idx" ON "complaints" USING btree ("office_id","number");--> statement-breakpoint
CREATE INDEX "complaints_status_idx" ON "complaints" USING btree ("office_id","status","created_at");--> statement-breakpoint
CREATE INDEX "complaints_created_idx" ON "complaints" USING btree ("office_id","created_at");