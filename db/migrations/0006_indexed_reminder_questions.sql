ALTER TABLE "applications" ADD COLUMN "last_restricted_call_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "audit_status" text;--> statement-breakpoint
CREATE INDEX "applications_no_call_idx" ON "applications" USING btree ("approved_at") WHERE "applications"."status" = 'approved' and "applications"."last_restricted_call_at" is null;--> statement-breakpoint
CREATE INDEX "applications_unaudited_idx" ON "applications" USING btree ("production_since") WHERE "applications"."status" = 'approved' and "applications"."production_since" is not null and "applications"."audit_status" is null;--> statement-breakpoint
-- Backfill the two denormalised facts from their tables.
UPDATE "applications" a SET "last_restricted_call_at" = (SELECT max(r."at") FROM "restricted_calls" r WHERE r."application_id" = a."id");--> statement-breakpoint
UPDATE "applications" a SET "audit_status" = (SELECT au."status" FROM "audits" au WHERE au."application_id" = a."id");
