-- The App Home's "Last 30 days" counts what /pii stats counts, from the events: resubmissions
-- are received too, and an approval counts whatever came after it (a role review puts the
-- application back in review, a new cycle clears approved_at). Each count reads its own partial
-- index of events, so its cost follows the window's arrivals and approvals, not every event of
-- the window; the applications' received_at and approved_at indexes served only the old counts.
-- Building the two indexes reads the events table once each, and locks its writes until the
-- migrations' transaction commits.
DROP INDEX "applications_received_idx";--> statement-breakpoint
DROP INDEX "applications_approved_idx";--> statement-breakpoint
CREATE INDEX "events_arrival_idx" ON "events" USING btree ("at") WHERE "events"."type" in ('application.received', 'application.resubmitted');--> statement-breakpoint
CREATE INDEX "events_approval_idx" ON "events" USING btree ("at") WHERE "events"."payload"->'after'->>'status' = 'approved' and ("events"."payload"->'before'->>'status') is distinct from 'approved' and "events"."type" not like 'role_review.%' and "events"."type" not in ('application.updated', 'access.revoked');