CREATE TABLE "card_redraws" (
	"office_id" text NOT NULL,
	"card_key" text NOT NULL,
	"asked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "card_redraws_office_id_card_key_pk" PRIMARY KEY("office_id","card_key")
);
