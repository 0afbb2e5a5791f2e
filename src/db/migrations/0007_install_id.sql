CREATE TABLE "installation" (
	"key" text PRIMARY KEY DEFAULT 'this' NOT NULL,
	"install_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "installation_single_row" CHECK ("installation"."key" = 'this')
);
