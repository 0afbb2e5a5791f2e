CREATE TABLE "channel_bindings" (
	"office_id" text NOT NULL,
	"platform" text NOT NULL,
	"role" text NOT NULL,
	"target" text NOT NULL,
	"bound_by" text NOT NULL,
	"bound_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_bindings_office_id_platform_role_pk" PRIMARY KEY("office_id","platform","role")
);
--> statement-breakpoint
CREATE TABLE "teams_conversations" (
	"office_id" text NOT NULL,
	"conversation_id" text NOT NULL,
	"kind" text NOT NULL,
	"user_id" text,
	"reference" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_conversations_office_id_conversation_id_pk" PRIMARY KEY("office_id","conversation_id")
);
