CREATE TABLE "leave_adjustments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"office_id" text NOT NULL,
	"person_key" text NOT NULL,
	"person_name" text NOT NULL,
	"bank" text NOT NULL,
	"year" integer NOT NULL,
	"days" double precision NOT NULL,
	"reason" text NOT NULL,
	"by_key" text NOT NULL,
	"by_name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leave_carry_overs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"office_id" text NOT NULL,
	"person_key" text NOT NULL,
	"bank" text NOT NULL,
	"year" integer NOT NULL,
	"carried_days" double precision NOT NULL,
	"forfeited_days" double precision NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "leave_adjustments_person_idx" ON "leave_adjustments" USING btree ("office_id","person_key","year");--> statement-breakpoint
CREATE UNIQUE INDEX "leave_carry_overs_idx" ON "leave_carry_overs" USING btree ("office_id","person_key","bank","year");