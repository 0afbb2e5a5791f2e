CREATE SEQUENCE "public"."credential_ref_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "credentials" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"office_id" text NOT NULL,
	"number" integer DEFAULT nextval('credential_ref_seq') NOT NULL,
	"holder_key" text NOT NULL,
	"holder_name" text NOT NULL,
	"kind" text,
	"name" text NOT NULL,
	"expires" date NOT NULL,
	"credential_number" text,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"renewed_by_name" text,
	"renewed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "credentials_number_idx" ON "credentials" USING btree ("office_id","number");--> statement-breakpoint
CREATE INDEX "credentials_expires_idx" ON "credentials" USING btree ("office_id","expires");