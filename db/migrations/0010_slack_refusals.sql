CREATE TABLE "slack_alerts" (
	"cause" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "card_permalink" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "parked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "parked_error" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "file_id" text;--> statement-breakpoint
CREATE INDEX "outbox_parked_idx" ON "outbox" USING btree ("id") WHERE "outbox"."parked_at" is not null;