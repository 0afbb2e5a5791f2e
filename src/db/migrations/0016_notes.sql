CREATE SEQUENCE "public"."note_ref_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "notes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"office_id" text NOT NULL,
	"number" integer DEFAULT nextval('note_ref_seq') NOT NULL,
	"writer_key" text NOT NULL,
	"platform" text NOT NULL,
	"user_id" text NOT NULL,
	"text" text NOT NULL,
	"link" text,
	"due" date,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "notes_number_idx" ON "notes" USING btree ("office_id","number");--> statement-breakpoint
CREATE INDEX "notes_writer_idx" ON "notes" USING btree ("office_id","writer_key","status");--> statement-breakpoint
CREATE INDEX "notes_due_idx" ON "notes" USING btree ("office_id","status","due");