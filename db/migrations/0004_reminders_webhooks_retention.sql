CREATE TABLE "reminders" (
	"key" text PRIMARY KEY NOT NULL,
	"application_id" integer,
	"kind" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"last_event_id" bigint DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_error" text,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "purged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reminders_application_idx" ON "reminders" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "applications_open_since_idx" ON "applications" USING btree ("status_since") WHERE "applications"."status" in ('new', 'in_review', 'waiting_on_developer');--> statement-breakpoint
CREATE INDEX "applications_approved_idx" ON "applications" USING btree ("approved_at") WHERE "applications"."status" = 'approved';--> statement-breakpoint
CREATE INDEX "applications_live_idx" ON "applications" USING btree ("production_since") WHERE "applications"."status" = 'approved' and "applications"."production_since" is not null;--> statement-breakpoint
CREATE INDEX "applications_closed_idx" ON "applications" USING btree ("status_since") WHERE "applications"."status" in ('rejected', 'withdrawn') and "applications"."purged_at" is null;--> statement-breakpoint
CREATE INDEX "audits_scheduled_idx" ON "audits" USING btree ("scheduled_for") WHERE "audits"."status" = 'scheduled';