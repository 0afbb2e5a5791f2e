-- Updates already waiting side by side for one card: all but the newest are closed, as the index below allows one.
UPDATE "outbox" AS "older" SET "status" = 'skipped', "last_error" = 'superseded'
WHERE "older"."kind" = 'update' AND "older"."status" = 'pending' AND "older"."attempts" = 0
  AND EXISTS (SELECT 1 FROM "outbox" AS "newer" WHERE "newer"."office_id" = "older"."office_id"
    AND "newer"."card_key" = "older"."card_key" AND "newer"."platform" = "older"."platform"
    AND "newer"."kind" = 'update' AND "newer"."status" = 'pending' AND "newer"."attempts" = 0
    AND "newer"."id" > "older"."id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_waiting_update_idx" ON "outbox" USING btree ("office_id","card_key","platform") WHERE kind = 'update' and status = 'pending' and attempts = 0;