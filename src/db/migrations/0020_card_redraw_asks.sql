ALTER TABLE "card_redraws" DROP CONSTRAINT "card_redraws_office_id_card_key_pk";--> statement-breakpoint
ALTER TABLE "card_redraws" ADD COLUMN "id" bigserial PRIMARY KEY NOT NULL;--> statement-breakpoint
CREATE INDEX "card_redraws_office_idx" ON "card_redraws" USING btree ("office_id","id");