CREATE SEQUENCE "public"."team_issue_ref_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "team_issues" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"office_id" text NOT NULL,
	"number" integer DEFAULT nextval('team_issue_ref_seq') NOT NULL,
	"category" text NOT NULL,
	"description" text NOT NULL,
	"raiser_key" text NOT NULL,
	"raiser_name" text NOT NULL,
	"raiser_platform" text NOT NULL,
	"raiser_user_id" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"owner_key" text,
	"owner_name" text,
	"taken_at" timestamp with time zone,
	"done_by_key" text,
	"done_by_name" text,
	"done_at" timestamp with time zone,
	"done_note" text DEFAULT '' NOT NULL,
	"flagged_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "team_issues_number_idx" ON "team_issues" USING btree ("office_id","number");--> statement-breakpoint
CREATE INDEX "team_issues_status_idx" ON "team_issues" USING btree ("office_id","status");