ALTER TABLE "applications" ADD COLUMN "access_reinstated_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "applications_reinstated_idx" ON "applications" USING btree ("access_reinstated_at") WHERE "applications"."access_status" = 'active' and "applications"."access_reinstated_at" is not null;--> statement-breakpoint
-- Access reinstated before the column was kept: its latest reinstatement after the approval.
UPDATE "applications" AS a SET "access_reinstated_at" = r."at" FROM (SELECT "application_id", max("at") AS "at" FROM "events" WHERE "type" = 'access.reinstated' GROUP BY "application_id") AS r WHERE r."application_id" = a."id" AND a."approved_at" IS NOT NULL AND r."at" > a."approved_at";
--> statement-breakpoint
-- Audits a revocation left in flight before revoking settled them: cancelled, their open items closed.
UPDATE "remediation_items" SET "closed_at" = now(), "closed_by" = 'system' WHERE "closed_at" IS NULL AND "audit_id" IN (SELECT au."id" FROM "audits" au JOIN "applications" a ON a."id" = au."application_id" WHERE a."access_status" = 'revoked' AND au."status" IN ('scheduled', 'remediation'));--> statement-breakpoint
UPDATE "audits" AS au SET "status" = 'cancelled', "outcome_at" = now() FROM "applications" AS a WHERE a."id" = au."application_id" AND a."access_status" = 'revoked' AND au."status" IN ('scheduled', 'remediation');--> statement-breakpoint
UPDATE "applications" SET "audit_status" = 'cancelled' WHERE "access_status" = 'revoked' AND "audit_status" IN ('scheduled', 'remediation');
