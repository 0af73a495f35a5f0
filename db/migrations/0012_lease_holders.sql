ALTER TABLE "outbox" ADD COLUMN "locked_by" integer;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "first_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_state" ADD COLUMN "locked_by" integer;