import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.ts';
import {
  type ApplicationRow,
  applicationRoles,
  applications,
  denialReasons,
  developerMessages,
  events,
  meetings,
  type ReviewCycleRow,
  reviewCycles,
} from '../../db/schema.ts';
import { INITIAL_STATE } from '../workflow/states.ts';
import { settleAuditsInFlight } from './effects/access.ts';

/** A cycle ended (rejected, withdrawn) or reached approval: kept with its stage, for history, stats and the export. */
export async function endCycle(
  tx: Tx,
  app: ApplicationRow,
  end: { outcome: 'rejected' | 'withdrawn' | 'approved'; stage: string; at: Date },
): Promise<void> {
  await tx
    .insert(reviewCycles)
    .values({
      applicationId: app.id,
      number: app.cycle,
      startedAt: app.cycle === 1 ? app.receivedAt : end.at,
      endedAt: end.at,
      outcome: end.outcome,
      endedAtStage: end.stage,
    })
    .onConflictDoUpdate({
      target: [reviewCycles.applicationId, reviewCycles.number],
      set: { endedAt: end.at, outcome: end.outcome, endedAtStage: end.stage, outcomeEventId: null, outcomePermalink: null },
    });
}

/** The event that ended the cycle: its thread line is the cycle's outcome line (linked once posted). */
export async function markCycleOutcomeEvent(tx: Tx, app: ApplicationRow, eventId: number): Promise<void> {
  await tx
    .update(reviewCycles)
    .set({ outcomeEventId: eventId })
    .where(and(eq(reviewCycles.applicationId, app.id), eq(reviewCycles.number, app.cycle)));
}

/** A reopened rejection continues its cycle: the cycle has no end (yet). */
export async function reopenCycle(tx: Tx, app: ApplicationRow): Promise<void> {
  await tx
    .update(reviewCycles)
    .set({ endedAt: null, outcome: null, endedAtStage: null, outcomeEventId: null, outcomePermalink: null })
    .where(and(eq(reviewCycles.applicationId, app.id), eq(reviewCycles.number, app.cycle)));
}

export async function recordFastTrack(
  tx: Tx,
  app: ApplicationRow,
  ft: { to: string; reason: string; by: string; at: Date },
): Promise<void> {
  await tx
    .insert(reviewCycles)
    .values({
      applicationId: app.id,
      number: app.cycle,
      startedAt: ft.at,
      fastTrackedTo: ft.to,
      fastTrackReason: ft.reason,
      fastTrackedBy: ft.by,
    })
    .onConflictDoUpdate({
      target: [reviewCycles.applicationId, reviewCycles.number],
      set: { fastTrackedTo: ft.to, fastTrackReason: ft.reason, fastTrackedBy: ft.by },
    });
}

/** Where the cycle of a closed application ended, for cycles closed before cycles were recorded. */
async function endedStageFromEvents(tx: Tx, app: ApplicationRow): Promise<string> {
  if (app.status === 'rejected' && app.rejectedAtStage) return app.rejectedAtStage;
  const [last] = await tx
    .select({ before: sql<string | null>`${events.payload}->'before'->>'stage'` })
    .from(events)
    .where(and(eq(events.applicationId, app.id), sql`${events.payload}->'after'->>'status' = ${app.status}`))
    .orderBy(desc(events.id))
    .limit(1);
  return last?.before ?? 'business';
}

/**
 * A resubmission of a rejected, withdrawn or revoked application: the cycle that ended is kept (recorded
 * now if it ended before cycles were), and the application starts cycle N+1 at Stage 1 with a clean
 * slate. The working rows of earlier cycles stay as history, scoped by their cycle.
 */
export async function openNextCycle(tx: Tx, app: ApplicationRow, now: Date): Promise<Partial<ApplicationRow>> {
  if (app.accessStatus === 'revoked') {
    // Approved, then revoked: the cycle ends at its revocation, and the next one is a new review
    // from Stage 1 with no production life (no fast-track: it ended past every stage).
    const revokedAt = app.accessSince ?? app.statusSince;
    await tx
      .insert(reviewCycles)
      .values({
        applicationId: app.id,
        number: app.cycle,
        startedAt: app.cycle === 1 ? app.receivedAt : app.statusSince,
        endedAt: revokedAt,
        outcome: 'revoked',
        endedAtStage: 'approved',
      })
      .onConflictDoUpdate({
        target: [reviewCycles.applicationId, reviewCycles.number],
        set: { endedAt: revokedAt, outcome: 'revoked', endedAtStage: 'approved' },
      });
    // Its roles went with the access; the next cycle's approval grants them again.
    await tx
      .update(applicationRoles)
      .set({ status: 'removed', decidedAt: revokedAt })
      .where(and(eq(applicationRoles.applicationId, app.id), inArray(applicationRoles.status, ['approved', 'under_review'])));
  } else {
    await tx
      .insert(reviewCycles)
      .values({
        applicationId: app.id,
        number: app.cycle,
        startedAt: app.cycle === 1 ? app.receivedAt : app.statusSince,
        endedAt: app.statusSince,
        outcome: app.status,
        endedAtStage: await endedStageFromEvents(tx, app),
      })
      .onConflictDoNothing();
  }
  await tx
    .insert(reviewCycles)
    .values({ applicationId: app.id, number: app.cycle + 1, startedAt: now })
    .onConflictDoNothing();
  // A meeting still ahead from the cycle that ended is off (the decision that ended it cancels it;
  // a cycle that ended before it did may still hold one): no reminder for it.
  await tx
    .update(meetings)
    .set({ status: 'cancelled', updatedAt: now })
    .where(and(eq(meetings.applicationId, app.id), eq(meetings.status, 'scheduled')));
  // Audits carry no cycle: one still in flight (revoked before the revocation settled it) ends
  // here, so the new cycle inherits no reminder for it.
  await settleAuditsInFlight(tx, app.id, { at: now, by: 'system' });
  return {
    cycle: app.cycle + 1,
    ...INITIAL_STATE,
    statusSince: now,
    assigneeId: null,
    infoRounds: 0,
    questionnaireVersion: null,
    questionnaireSentAt: null,
    questionnaireSkipReason: null,
    architectId: null,
    rejectedAtStage: null,
    // A revoked cycle's production life is over; the next one earns its own (history keeps the old).
    approvedAt: null,
    productionSince: null,
    lastRestrictedCallAt: null,
    auditStatus: null,
    accessStatus: null,
    accessSince: null,
    accessReason: null,
    accessReinstatedAt: null,
    roleReviewSince: null,
    roleReviewStages: null,
  };
}

/** The cycle before the current one, and the current one's record: what the rules need. */
export async function cycleRecords(
  db: DbOrTx,
  app: ApplicationRow,
): Promise<{ previous: ReviewCycleRow | null; current: ReviewCycleRow | null }> {
  if (app.cycle < 2) {
    const [current] = await db
      .select()
      .from(reviewCycles)
      .where(and(eq(reviewCycles.applicationId, app.id), eq(reviewCycles.number, app.cycle)));
    return { previous: null, current: current ?? null };
  }
  const rows = await db
    .select()
    .from(reviewCycles)
    .where(and(eq(reviewCycles.applicationId, app.id), sql`${reviewCycles.number} in (${app.cycle - 1}, ${app.cycle})`));
  return {
    previous: rows.find((r) => r.number === app.cycle - 1) ?? null,
    current: rows.find((r) => r.number === app.cycle) ?? null,
  };
}

export type EarlierCycle = ReviewCycleRow & {
  denialText: string | null;
  reasons: { stage: string; area: string | null; note: string | null }[];
};

/** Every cycle before the current one, with its denial text and internal reasons: a team-private view. */
export async function earlierCycles(db: DbOrTx, applicationId: number): Promise<EarlierCycle[]> {
  const [app] = await db.select().from(applications).where(eq(applications.id, applicationId));
  if (!app) return [];
  const cycles = await db
    .select()
    .from(reviewCycles)
    .where(and(eq(reviewCycles.applicationId, applicationId), lt(reviewCycles.number, app.cycle)))
    .orderBy(reviewCycles.number);
  const denials = await db
    .select({ cycle: developerMessages.cycle, body: developerMessages.body })
    .from(developerMessages)
    .where(and(eq(developerMessages.applicationId, applicationId), eq(developerMessages.kind, 'denial')))
    .orderBy(developerMessages.id);
  const reasons = await db
    .select()
    .from(denialReasons)
    .where(eq(denialReasons.applicationId, applicationId))
    .orderBy(denialReasons.id);
  return cycles.map((c) => ({
    ...c,
    denialText: denials.filter((d) => d.cycle === c.number).at(-1)?.body ?? null,
    reasons: reasons.filter((r) => r.cycle === c.number).map((r) => ({ stage: r.stage, area: r.area, note: r.note })),
  }));
}
