-- An integration's restricted-call report is idempotent on (application, at, operation): a retry
-- finds its call by this key. Reports stored before it may hold the same call several times; the
-- first stored of each is kept (the events and thread lines they caused stay as they were). The
-- unique index leads with the application, so it also serves what the old index did.
DELETE FROM "restricted_calls" r USING "restricted_calls" k
WHERE k."application_id" = r."application_id" AND k."at" = r."at" AND k."operation" = r."operation" AND k."id" < r."id";--> statement-breakpoint
DROP INDEX "restricted_calls_application_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "restricted_calls_call_idx" ON "restricted_calls" USING btree ("application_id","at","operation");
