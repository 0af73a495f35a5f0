import { type SQL, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

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
    /** The card's link from chat.getPermalink, stored when the card is posted (app_redirect opens a channel, not a message). */
    cardPermalink: text('card_permalink'),
    /** Stage 2: how many times the developer was asked for more information. */
    infoRounds: integer('info_rounds').notNull().default(0),
    questionnaireVersion: text('questionnaire_version').references(() => questionnaireVersions.version),
    questionnaireSentAt: instant('questionnaire_sent_at'),
    /** Private track: the questionnaire was skipped, and the reviewer's reason why. */
    questionnaireSkipReason: text('questionnaire_skip_reason'),
    /** Stage 3: the solution architect of the architecture review (only they or an admin record its outcome). */
    architectId: text('architect_id'),
    approvedAt: instant('approved_at'),
    /** The stage a rejection ended, so a reopened application goes back there, not to Stage 1. */
    rejectedAtStage: text('rejected_at_stage'),
    /** When the application went live in production; the implementation audit is due AUDIT_AFTER_DAYS later. */
    productionSince: instant('production_since'),
    /** The latest successful restricted call, kept here so "no call yet" is an indexed question. */
    lastRestrictedCallAt: instant('last_restricted_call_at'),
    /** The latest audit's status (scheduled, remediation, passed, failed), kept here so listings of audits are indexed. */
    auditStatus: text('audit_status'),
    /**
     * Restricted access after approval: active, at_risk, suspended or revoked (null before approval). Its own
     * columns, not stage and status: a role review moves those back into review and access stays as it is.
     */
    accessStatus: text('access_status'),
    accessSince: instant('access_since'),
    /** Why access was suspended (src/workflow/access.ts SUSPENSION_REASONS), or why it is at risk. */
    accessReason: text('access_reason'),
    /**
     * When an admin last reinstated access in this cycle: the access watch counts from it as from
     * an approval until the next call. Kept apart from access_since, which the fall into risk moves.
     */
    accessReinstatedAt: instant('access_reinstated_at'),
    /** When the retention job removed contact data and answers (rejected/withdrawn long ago). */
    purgedAt: instant('purged_at'),
    /**
     * The review cycle: 1, then one more for each resubmission of a rejected or withdrawn
     * application. The working rows of a review (gaps, answers, meeting, questions, replies,
     * messages, denial reasons) carry the cycle they belong to; the rules read only the current one.
     */
    cycle: integer('cycle').notNull().default(1),
    /** Set while added roles of an approved application are under review (the production life goes on). */
    roleReviewSince: instant('role_review_since'),
    /** The stages this role review goes through (ROLE_REVIEW_STAGES, plus Stage 3 when a reviewer asked for it). */
    roleReviewStages: jsonb('role_review_stages').$type<string[]>(),
  },
  (t) => [
    // The assignee as the last key: the Home's team figures (open work by stage, status and
    // whether anyone has claimed it) are counted from this index alone (index-only scan).
    index('applications_open_by_stage_idx')
      .on(t.stage, t.status, t.statusSince, t.assigneeId)
      .where(sql`${t.status} not in ('approved', 'rejected', 'withdrawn')`),
    // text_pattern_ops serves both `=` and the `LIKE 'prefix%'` of /pii status by name.
    index('applications_org_name_lower_idx').on(sql`lower(${t.organizationName}) text_pattern_ops`),
    // Reminder sweeps ask "which approved applications crossed a date"; these keep the cost to what is due.
    // /pii mine and the Home's "waiting on you": open applications by assignee.
    index('applications_open_assignee_idx')
      .on(t.assigneeId, t.statusSince)
      .where(sql`${t.status} not in ('approved', 'rejected', 'withdrawn')`),
    index('applications_open_since_idx')
      .on(t.statusSince)
      .where(sql`${t.status} in ('new', 'in_review', 'waiting_on_developer')`),
    // The Home's "waiting on developers": only those, longest waiting first.
    index('applications_waiting_idx').on(t.statusSince).where(sql`${t.status} = 'waiting_on_developer'`),
    index('applications_live_idx')
      .on(t.productionSince)
      .where(sql`${t.status} = 'approved' and ${t.productionSince} is not null`),
    // The sweep's access watch: active access whose grace (no call yet) or inactivity period may have run out.
    index('applications_no_call_idx')
      .on(t.approvedAt)
      .where(sql`${t.accessStatus} = 'active' and ${t.lastRestrictedCallAt} is null`),
    index('applications_last_call_idx')
      .on(t.lastRestrictedCallAt)
      .where(sql`${t.accessStatus} = 'active' and ${t.lastRestrictedCallAt} is not null`),
    // Access reinstated after its last call (or with none): its grace period runs from the reinstatement.
    index('applications_reinstated_idx')
      .on(t.accessReinstatedAt)
      .where(sql`${t.accessStatus} = 'active' and ${t.accessReinstatedAt} is not null`),
    // At-risk access (reminded each period) and the listings of at-risk and suspended applications.
    index('applications_access_idx').on(t.accessStatus, t.accessSince).where(sql`${t.accessStatus} in ('at_risk', 'suspended')`),
    // Audits that may come: live applications never audited, eligible AUDIT_AFTER_DAYS after go-live.
    index('applications_unaudited_idx')
      .on(t.productionSince)
      .where(sql`${t.productionSince} is not null and ${t.auditStatus} is null`),
    index('applications_closed_idx')
      .on(t.statusSince)
      .where(sql`${t.status} in ('rejected', 'withdrawn') and ${t.purgedAt} is null`),
  ],
);

/**
 * What `/pii stats` and the App Home count as received: a new application, or a resubmission
 * opening its next review cycle. Also the predicate of events_arrival_idx: a query with this
 * condition reads only those events.
 */
export const isArrival = (e: { type: AnyPgColumn }): SQL => sql`${e.type} in ('application.received', 'application.resubmitted')`;

/**
 * What `/pii stats` and the App Home count as an approval (once per application and cycle,
 * src/dashboard/flow.ts): an event that left the application approved when it was not, except
 * the end of a role review, whatever ends it (its decision, intake dropping its roles, access
 * revoked): the application was approved already. Also the predicate of events_approval_idx.
 */
export const isApproval = (e: { type: AnyPgColumn; payload: AnyPgColumn }): SQL =>
  sql`${e.payload}->'after'->>'status' = 'approved' and (${e.payload}->'before'->>'status') is distinct from 'approved' and ${e.type} not like 'role_review.%' and ${e.type} not in ('application.updated', 'access.revoked')`;

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
  (t) => [
    index('events_application_idx').on(t.applicationId, t.id),
    // /pii stats and the export read events by time.
    index('events_at_idx').on(t.at),
    // The Home's team figures: the last 30 days' arrivals and approvals, each on its own.
    index('events_arrival_idx').on(t.at).where(isArrival(t)),
    index('events_approval_idx').on(t.at).where(isApproval(t)),
  ],
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
    /** The instance holding the lease (its liveness lock key): its leases end when it dies, not at locked_until. */
    lockedBy: integer('locked_by'),
    /** When the first attempt began: a retry looks for an earlier post in Slack from shortly before then. */
    firstAttemptAt: instant('first_attempt_at'),
    lastError: text('last_error'),
    doneAt: instant('done_at'),
    /**
     * Set with `done_at` when Slack refused the effect in a way no retry fixes (src/jobs/slack-errors.ts):
     * the effect is settled as failed, so the application's later effects go on; an admin may retry it.
     */
    parkedAt: instant('parked_at'),
    /** Slack's error code for a parked effect (`invalid_blocks`, `is_archived`, …); never applicant data. */
    parkedError: text('parked_error'),
    /**
     * The Slack file id a `thread.file` upload got before it was shared: a retry after a lost answer
     * looks for it in the thread instead of uploading a second copy (src/jobs/thread-upload.ts).
     */
    fileId: text('file_id'),
  },
  (t) => [
    index('outbox_pending_idx').on(t.availableAt, t.id).where(sql`${t.doneAt} is null`),
    index('outbox_pending_by_application_idx').on(t.applicationId, t.id).where(sql`${t.doneAt} is null`),
    index('outbox_parked_idx').on(t.id).where(sql`${t.parkedAt} is not null`),
  ],
);

/**
 * One row per cause of parked effects (Slack's error code) that the channel was told about, so
 * the admin alert goes out once per cause across instances and restarts; a retry clears it.
 */
export const slackAlerts = pgTable('slack_alerts', {
  cause: text('cause').primaryKey(),
  at: instant('at').notNull(),
});

/** Security gaps, filed under a control area; resolved ones stay as history. */
export const gaps = pgTable(
  'gaps',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    cycle: integer('cycle').notNull().default(1),
    area: text('area').notNull(),
    severity: text('severity').notNull(),
    description: text('description').notNull(),
    /** Set when the gap was raised while reviewing a questionnaire answer. */
    questionId: text('question_id'),
    /** The free-form security answer (1-based, in submission order) the gap is about, when the reviewer named one. */
    securityAnswer: integer('security_answer'),
    raisedBy: text('raised_by').notNull(),
    raisedAt: instant('raised_at').notNull(),
    resolvedBy: text('resolved_by'),
    resolvedAt: instant('resolved_at'),
    resolution: text('resolution'),
  },
  (t) => [index('gaps_open_idx').on(t.applicationId).where(sql`${t.resolvedAt} is null`)],
);

/** Every questionnaire version ever sent, so an application is always read against its own. */
export const questionnaireVersions = pgTable('questionnaire_versions', {
  version: text('version').primaryKey(),
  content: jsonb('content').notNull(),
  createdAt: instant('created_at').notNull(),
});

/** The developer's answers to the questionnaire, one row per question, with the review of each. */
export const questionnaireAnswers = pgTable(
  'questionnaire_answers',
  {
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    cycle: integer('cycle').notNull().default(1),
    questionId: text('question_id').notNull(),
    answer: text('answer').notNull(),
    source: text('source').notNull(),
    receivedAt: instant('received_at').notNull(),
    review: text('review').notNull().default('pending'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: instant('reviewed_at'),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.cycle, t.questionId] })],
);

/** What reviewers send the developer (denial, information requests, questionnaire), verbatim and when. */
export const developerMessages = pgTable(
  'developer_messages',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    cycle: integer('cycle').notNull().default(1),
    kind: text('kind').notNull(),
    body: text('body').notNull(),
    templateVersion: integer('template_version'),
    sentBy: text('sent_by').notNull(),
    sentAt: instant('sent_at').notNull(),
  },
  (t) => [index('developer_messages_application_idx').on(t.applicationId, t.id)],
);

/**
 * Replies the developer sent outside intake (e-mail, the portal), recorded by a reviewer: the
 * summary is the developer's matter, so it stays on private surfaces and is purged with the answers.
 */
export const developerReplies = pgTable(
  'developer_replies',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    cycle: integer('cycle').notNull().default(1),
    stage: text('stage').notNull(),
    summary: text('summary').notNull(),
    evidenceUrl: text('evidence_url'),
    /** Gap ids (Stage 2) or clarification question ids (Stage 3) the reply addresses. */
    addresses: jsonb('addresses').notNull().default([]),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: instant('recorded_at').notNull(),
  },
  (t) => [index('developer_replies_application_idx').on(t.applicationId, t.id)],
);

/** Why the team denied an application after Stage 1: never sent to the developer, never in the channel. */
export const denialReasons = pgTable(
  'denial_reasons',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    cycle: integer('cycle').notNull().default(1),
    stage: text('stage').notNull(),
    area: text('area'),
    note: text('note'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: instant('recorded_at').notNull(),
  },
  (t) => [index('denial_reasons_application_idx').on(t.applicationId)],
);

/**
 * One row per review cycle of an application that ended (or was fast-tracked): how it ended and
 * where, so history, stats and the export keep every cycle. The current cycle's row, if any, has
 * no end yet (a reopen clears the end of the cycle it reopens).
 */
export const reviewCycles = pgTable(
  'review_cycles',
  {
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    number: integer('number').notNull(),
    startedAt: instant('started_at').notNull(),
    endedAt: instant('ended_at'),
    /** rejected, withdrawn or approved. */
    outcome: text('outcome'),
    /** The stage the cycle ended at (a rejection's or withdrawal's stage; approved for an approval). */
    endedAtStage: text('ended_at_stage'),
    /** The event that ended it, and the link to its line in the card's thread once posted. */
    outcomeEventId: bigint('outcome_event_id', { mode: 'number' }),
    outcomePermalink: text('outcome_permalink'),
    /** A reviewer moved this cycle on to where the previous one ended, and why (team-private). */
    fastTrackedTo: text('fast_tracked_to'),
    fastTrackReason: text('fast_track_reason'),
    fastTrackedBy: text('fast_tracked_by'),
    /** When retention removed this ended cycle's private texts while a later cycle is under way. */
    purgedAt: instant('purged_at'),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.number] })],
);

/**
 * The restricted roles of an application once it was approved, each with its own status and who
 * decided it when: approved, under_review (added by intake, in a role review), denied, removed.
 */
export const applicationRoles = pgTable(
  'application_roles',
  {
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    role: text('role').notNull(),
    status: text('status').notNull(),
    requestedAt: instant('requested_at').notNull(),
    decidedBy: text('decided_by'),
    decidedAt: instant('decided_at'),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.role] })],
);

/** Admin-editable texts; every edit is a new version and the old ones stay. */
export const templates = pgTable(
  'templates',
  {
    name: text('name').notNull(),
    version: integer('version').notNull(),
    body: text('body').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.version] })],
);

/** Slack requests already acted on (a modal submitted twice, a retried event): the second changes nothing. */
export const processedRequests = pgTable(
  'processed_requests',
  {
    key: text('key').notNull(),
    applicationId: integer('application_id'),
    at: instant('at').notNull(),
  },
  (t) => [uniqueIndex('processed_requests_key_idx').on(t.key)],
);

/** The Stage 3 architecture review meeting; a reschedule updates the row (and the invite's SEQUENCE). */
export const meetings = pgTable(
  'meetings',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    cycle: integer('cycle').notNull().default(1),
    architectId: text('architect_id').notNull(),
    startsAt: instant('starts_at').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    agenda: text('agenda').notNull(),
    status: text('status').notNull().default('scheduled'),
    sequence: integer('sequence').notNull().default(0),
    scheduledBy: text('scheduled_by').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    index('meetings_upcoming_idx').on(t.startsAt).where(sql`${t.status} = 'scheduled'`),
    index('meetings_application_idx').on(t.applicationId),
  ],
);

/** Open questions from the architecture review, each tracked until answered. */
export const clarificationQuestions = pgTable(
  'clarification_questions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    cycle: integer('cycle').notNull().default(1),
    text: text('text').notNull(),
    raisedBy: text('raised_by').notNull(),
    raisedAt: instant('raised_at').notNull(),
    answeredBy: text('answered_by'),
    answeredAt: instant('answered_at'),
  },
  (t) => [index('clarification_open_idx').on(t.applicationId).where(sql`${t.answeredAt} is null`)],
);

/** Successful calls to the restricted API, which keep the roles granted. */
export const restrictedCalls = pgTable(
  'restricted_calls',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    at: instant('at').notNull(),
    operation: text('operation').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: instant('recorded_at').notNull(),
  },
  // One row per call: a report sent again (a retry) finds its call here. It also serves the
  // application's calls, latest first.
  (t) => [uniqueIndex('restricted_calls_call_idx').on(t.applicationId, t.at, t.operation)],
);

/** Implementation audits that may come 90+ days into production; several over time, each kept. */
export const audits = pgTable(
  'audits',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id),
    /** Amazon, Deloitte, PwC, or the name of another auditor. */
    auditor: text('auditor').notNull(),
    scheduledFor: instant('scheduled_for').notNull(),
    status: text('status').notNull().default('scheduled'),
    scheduledBy: text('scheduled_by').notNull(),
    outcomeAt: instant('outcome_at'),
  },
  (t) => [
    index('audits_application_idx').on(t.applicationId, t.id),
    index('audits_scheduled_idx').on(t.scheduledFor).where(sql`${t.status} = 'scheduled'`),
  ],
);

export const remediationItems = pgTable(
  'remediation_items',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    auditId: integer('audit_id')
      .notNull()
      .references(() => audits.id),
    text: text('text').notNull(),
    dueOn: instant('due_on').notNull(),
    closedAt: instant('closed_at'),
    closedBy: text('closed_by'),
  },
  (t) => [
    index('remediation_open_idx').on(t.dueOn).where(sql`${t.closedAt} is null`),
    index('remediation_audit_idx').on(t.auditId),
  ],
);

/** Every reminder ever due, claimed once by its key: any number of instances post it exactly once. */
export const reminders = pgTable(
  'reminders',
  {
    key: text('key').primaryKey(),
    applicationId: integer('application_id').references(() => applications.id),
    kind: text('kind').notNull(),
    dueAt: instant('due_at').notNull(),
    claimedAt: instant('claimed_at').notNull(),
    data: jsonb('data').notNull().default({}),
  },
  (t) => [index('reminders_application_idx').on(t.applicationId)],
);

/** Where the outbound webhook relay stands: the last event a receiver acknowledged, and the next try. */
export const webhookState = pgTable('webhook_state', {
  id: integer('id').primaryKey(),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull().default(0),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: instant('next_attempt_at'),
  lastError: text('last_error'),
  /** The relay holding the cursor until then, should its instance's liveness marker outlive it. */
  lockedUntil: instant('locked_until'),
  /** The instance holding the cursor (its liveness lock key): the lease ends when that instance dies. */
  lockedBy: integer('locked_by'),
  /**
   * A hole in the event ids after the cursor (an id drawn by a transaction not yet committed, or
   * rolled back): the highest id visible when it was seen, and the snapshot's xmax then. Once every
   * transaction below that xmax has ended, the missing ids up to the frontier never will appear.
   */
  gapFrontier: bigint('gap_frontier', { mode: 'number' }),
  gapXmax: bigint('gap_xmax', { mode: 'number' }),
});

export type ApplicationRow = typeof applications.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type OutboxRow = typeof outbox.$inferSelect;
export type GapRow = typeof gaps.$inferSelect;
export type AnswerRow = typeof questionnaireAnswers.$inferSelect;
export type MeetingRow = typeof meetings.$inferSelect;
export type ClarificationRow = typeof clarificationQuestions.$inferSelect;
export type AuditRow = typeof audits.$inferSelect;
export type RemediationRow = typeof remediationItems.$inferSelect;
export type RestrictedCallRow = typeof restrictedCalls.$inferSelect;
export type ReminderRow = typeof reminders.$inferSelect;
export type DeveloperReplyRow = typeof developerReplies.$inferSelect;
export type ReviewCycleRow = typeof reviewCycles.$inferSelect;
export type ApplicationRoleRow = typeof applicationRoles.$inferSelect;
