ALTER TABLE "webhook_state" ADD COLUMN "gap_frontier" bigint;--> statement-breakpoint
ALTER TABLE "webhook_state" ADD COLUMN "gap_xmax" bigint;