CREATE SEQUENCE "public"."call_out_ref_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "call_outs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"office_id" text NOT NULL,
	"number" integer DEFAULT nextval('call_out_ref_seq') NOT NULL,
	"person_key" text NOT NULL,
	"person_name" text NOT NULL,
	"person_role" text,
	"person_platform" text NOT NULL,
	"person_user_id" text NOT NULL,
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"from_time" text,
	"until_time" text,
	"reason" text DEFAULT '' NOT NULL,
	"recorded_by_key" text NOT NULL,
	"recorded_by_name" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"cancelled_by_name" text,
	"cancelled_at" timestamp with time zone,
	"cover_state" text DEFAULT 'not_needed' NOT NULL,
	"ask_round" integer DEFAULT 0 NOT NULL,
	"asked_at" timestamp with time zone,
	"escalated_round" integer DEFAULT 0 NOT NULL,
	"cover_key" text,
	"cover_name" text,
	"cover_role" text,
	"cover_offered_at" timestamp with time zone,
	"cover_confirmed_by_name" text,
	"cover_confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cover_asks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"call_out_id" bigint NOT NULL,
	"person_key" text NOT NULL,
	"person_name" text NOT NULL,
	"answer" text DEFAULT 'asked' NOT NULL,
	"asked_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "cover_asks" ADD CONSTRAINT "cover_asks_call_out_id_call_outs_id_fk" FOREIGN KEY ("call_out_id") REFERENCES "public"."call_outs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "call_outs_number_idx" ON "call_outs" USING btree ("office_id","number");--> statement-breakpoint
CREATE INDEX "call_outs_day_idx" ON "call_outs" USING btree ("office_id","day","status");--> statement-breakpoint
CREATE UNIQUE INDEX "cover_asks_person_idx" ON "cover_asks" USING btree ("call_out_id","person_key");