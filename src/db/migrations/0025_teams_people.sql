CREATE TABLE "teams_people" (
	"office_id" text NOT NULL,
	"user_id" text NOT NULL,
	"member_id" text NOT NULL,
	"bot_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"service_url" text NOT NULL,
	"tenant_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_people_office_id_user_id_pk" PRIMARY KEY("office_id","user_id")
);
