CREATE TABLE "complaint_resolutions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"office_id" text NOT NULL,
	"complaint_id" bigint NOT NULL,
	"round" integer NOT NULL,
	"resolution" text NOT NULL,
	"patient_contacted" boolean,
	"resolved_by_key" text,
	"resolved_by_name" text NOT NULL,
	"resolved_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "complaint_resolutions" ADD CONSTRAINT "complaint_resolutions_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "complaint_resolutions_round_idx" ON "complaint_resolutions" USING btree ("complaint_id","round");--> statement-breakpoint
-- The one resolution each complaint kept so far, carried over as the round it was given in: a resolved
-- complaint's last resolve came after all its reopens, a reopened one's before the last. Who resolved it
-- is named by the audit log's latest resolve entry; the complaint's own columns win where both exist.
INSERT INTO "complaint_resolutions" ("office_id", "complaint_id", "round", "resolution", "patient_contacted", "resolved_by_key", "resolved_by_name", "resolved_at")
SELECT "complaint"."office_id", "complaint"."id",
  greatest("complaint"."reopen_count" + CASE WHEN "complaint"."status" = 'resolved' THEN 1 ELSE 0 END, 1),
  "complaint"."resolution", "complaint"."patient_contacted", "audit"."actor",
  coalesce("complaint"."resolved_by_name", "audit"."actor_name", 'a manager'),
  coalesce("complaint"."resolved_at", "audit"."at", "complaint"."created_at")
FROM "complaints" AS "complaint"
LEFT JOIN LATERAL (
  SELECT "actor", "actor_name", "at" FROM "audit_log"
  WHERE "audit_log"."office_id" = "complaint"."office_id" AND "audit_log"."entity" = 'CP-' || "complaint"."number"
    AND "audit_log"."action" = 'complaint.resolved'
  ORDER BY "audit_log"."at" DESC, "audit_log"."id" DESC LIMIT 1
) AS "audit" ON true
WHERE "complaint"."resolution" IS NOT NULL;
