DROP INDEX "applications_audit_pending_idx";--> statement-breakpoint
DROP INDEX "applications_audit_scheduled_idx";--> statement-breakpoint
DROP INDEX "applications_no_call_idx";--> statement-breakpoint
DROP INDEX "applications_unaudited_idx";--> statement-breakpoint
DROP INDEX "audits_application_idx";--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "access_status" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "access_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "access_reason" text;--> statement-breakpoint
CREATE INDEX "applications_last_call_idx" ON "applications" USING btree ("last_restricted_call_at") WHERE "applications"."access_status" = 'active' and "applications"."last_restricted_call_at" is not null;--> statement-breakpoint
CREATE INDEX "applications_access_idx" ON "applications" USING btree ("access_status","access_since") WHERE "applications"."access_status" in ('at_risk', 'suspended');--> statement-breakpoint
CREATE INDEX "applications_no_call_idx" ON "applications" USING btree ("approved_at") WHERE "applications"."access_status" = 'active' and "applications"."last_restricted_call_at" is null;--> statement-breakpoint
CREATE INDEX "applications_unaudited_idx" ON "applications" USING btree ("production_since") WHERE "applications"."production_since" is not null and "applications"."audit_status" is null;--> statement-breakpoint
CREATE INDEX "audits_application_idx" ON "audits" USING btree ("application_id","id");--> statement-breakpoint
UPDATE "applications" SET "access_status" = 'active', "access_since" = "approved_at" WHERE "approved_at" is not null AND "stage" <> 'closed' AND "access_status" is null;
