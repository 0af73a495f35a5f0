import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const applications = pgTable(
  'applications',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    profileId: text('profile_id').notNull().unique(),
    organizationName: text('organization_name').notNull(),
    /** The validated intake body as last submitted; holds contact data, so never logged. */
    submission: jsonb('submission').notNull(),
    contentHash: text('content_hash').notNull(),
    stage: text('stage').notNull(),
    status: text('status').notNull(),
    assigneeId: text('assignee_id'),
    /** Optimistic concurrency: every state change is `UPDATE … WHERE version = $seen`. */
    version: integer('version').notNull().default(1),
    submittedAt: instant('submitted_at').notNull(),
    receivedAt: instant('received_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    statusSince: instant('status_since').notNull(),
    cardChannel: text('card_channel'),
    cardTs: text('card_ts'),
  },
  (t) => [
    index('applications_open_by_stage_idx')
      .on(t.stage, t.status, t.statusSince)
      .where(sql`${t.status} not in ('approved', 'rejected', 'withdrawn')`),
    // text_pattern_ops serves both `=` and the `LIKE 'prefix%'` of /pii status by name.
    index('applications_org_name_lower_idx').on(sql`lower(${t.organizationName}) text_pattern_ops`),
  ],
);

/** Append-only history: nothing updates or deletes a row here. */
export const events = pgTable(
  'events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    type: text('type').notNull(),
    /** A Slack user id, or `intake` / `system`. */
    actor: text('actor').notNull(),
    at: instant('at').notNull(),
    payload: jsonb('payload').notNull().default({}),
  },
  (t) => [index('events_application_idx').on(t.applicationId, t.id)],
);

/**
 * Slack effects queued in the same transaction as the change that caused them,
 * delivered after commit by the dispatcher (leases make it safe across instances and crashes).
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer('application_id').references(() => applications.id),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull().default({}),
    createdAt: instant('created_at').notNull(),
    availableAt: instant('available_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lockedUntil: instant('locked_until'),
    lastError: text('last_error'),
    doneAt: instant('done_at'),
  },
  (t) => [
    index('outbox_pending_idx').on(t.availableAt, t.id).where(sql`${t.doneAt} is null`),
    index('outbox_pending_by_application_idx').on(t.applicationId, t.id).where(sql`${t.doneAt} is null`),
  ],
);

export type ApplicationRow = typeof applications.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type OutboxRow = typeof outbox.$inferSelect;
