ALTER TABLE "applications" ADD COLUMN "access_reinstated_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "applications_reinstated_idx" ON "applications" USING btree ("access_reinstated_at") WHERE "applications"."access_status" = 'active' and "applications"."access_reinstated_at" is not null;--> statement-breakpoint
-- Access reinstated before the column was kept: its latest reinstatement after the approval.
UPDATE "applications" AS a SET "access_reinstated_at" = r."at" FROM (SELECT "application_id", max("at") AS "at" FROM "events" WHERE "type" = 'access.reinstated' GROUP BY "application_id") AS r WHERE r."application_id" = a."id" AND a."approved_at" IS NOT NULL AND r."at" > a."approved_at";
