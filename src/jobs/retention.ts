import { and, eq, inArray, isNull, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../../db/client.ts';
import {
  applications,
  denialReasons,
  developerMessages,
  developerReplies,
  gaps,
  questionnaireAnswers,
  reviewCycles,
} from '../../db/schema.ts';
import type { Logger } from '../logger.ts';
import { recordChange } from '../reviews/record.ts';
import { subDaysUtc } from '../time.ts';

/** Matches no content: the next submission of the profile is always a change. */
export const PURGED_HASH = 'purged';
/** What stands where a required private text was deleted. */
const PURGED_TEXT = '(deleted under the retention policy)';

/**
 * Data stewardship: applications rejected or withdrawn more than `retentionDays` ago lose their
 * contact data, use case, business description, security answers and questionnaire answers. Events stay
 * (they never held any); each purge is one more (`application.purged`, `review_cycle.purged`).
 */
export async function purgeExpired(
  deps: { db: Db; logger: Logger },
  now: Date,
  retentionDays: number,
  options: { dryRun?: boolean } = {},
): Promise<number[]> {
  const cutoff = subDaysUtc(now, retentionDays);
  const due = and(
    inArray(applications.status, ['rejected', 'withdrawn']),
    isNull(applications.purgedAt),
    lte(applications.statusSince, cutoff),
  );
  // Earlier cycles of an application under review again: they ended long ago too (rejected,
  // withdrawn, or approved and then revoked), and their texts go.
  const staleCycle = and(
    lt(reviewCycles.number, sql`(select a.cycle from ${applications} a where a.id = ${reviewCycles.applicationId})`),
    inArray(reviewCycles.outcome, ['rejected', 'withdrawn', 'revoked']),
    isNull(reviewCycles.purgedAt),
    lte(reviewCycles.endedAt, cutoff),
  );
  if (options.dryRun) {
    const rows = await deps.db.select({ id: applications.id }).from(applications).where(due).orderBy(applications.id);
    const cycles = await deps.db.selectDistinct({ id: reviewCycles.applicationId }).from(reviewCycles).where(staleCycle);
    return [...new Set([...rows.map((r) => r.id), ...cycles.map((c) => c.id)])].sort((a, b) => a - b);
  }
  const cyclesPurged = await purgeEarlierCycles(deps.db, now, staleCycle, retentionDays);
  const purged = await deps.db.transaction(async (tx) => {
    const rows = await tx
      .update(applications)
      .set({
        // Everything DOMAIN.md counts as private free text or contact data goes; the facts a
        // channel may show (organization, roles, regions, stage) stay for history and stats.
        submission: sql`(${applications.submission} - 'contact' - 'impoc' - 'securityAnswers' - 'useCase' - 'businessDescription'
          - 'merchants' - 'dataSharedWith' - 'otherDataSources') || '{"contact":{"email":"purged@invalid"}}'::jsonb`,
        // The hash of the purged content would let anyone holding the intake token confirm a guess ("unchanged").
        contentHash: PURGED_HASH,
        questionnaireSkipReason: purgedIfSet(applications.questionnaireSkipReason),
        purgedAt: now,
      })
      .where(due)
      .returning({ id: applications.id });
    const ids = rows.map((r) => r.id);
    if (ids.length > 0) {
      await purgeTexts(tx, (t) => inArray(t.applicationId, ids));
      // The team's reason to fast-track a cycle is about the applicant's review: it goes with the texts.
      await tx
        .update(reviewCycles)
        .set({ fastTrackReason: purgedIfSet(reviewCycles.fastTrackReason) })
        .where(inArray(reviewCycles.applicationId, ids));
      // An audited change like any other: its thread line, and the card refreshed (no reopen is left).
      for (const applicationId of ids)
        await recordChange(
          tx,
          { applicationId, type: 'application.purged', actor: 'system', at: now, payload: { retentionDays } },
          { thread: true },
        );
    }
    return ids;
  });
  // Ids and counts only: what was purged is exactly what must never reach a log.
  if (cyclesPurged.length > 0)
    deps.logger.info({ cycles: cyclesPurged.length, retentionDays }, 'retention: texts of earlier review cycles deleted');
  if (purged.length > 0)
    deps.logger.info(
      { purged: purged.length, applicationIds: purged, retentionDays },
      'retention: contact data and answers deleted',
    );
  return purged;
}

/** A private text that may be unset: deleted where there is one. */
const purgedIfSet = (column: AnyPgColumn) => sql`case when ${column} is null then null else ${PURGED_TEXT} end`;

/** Which rows of a table of review texts go: of these applications, or of one cycle of one. */
type Scope = (table: { applicationId: AnyPgColumn; cycle: AnyPgColumn }) => SQL | undefined;

/**
 * The review's private texts in a scope, wherever they are kept: questionnaire answers and the
 * developer's replies go (a denial's free note may quote them: it goes too, its area stays);
 * gap texts describe the applicant's controls (area and severity stay for history and stats);
 * the information requests sent quote the open gaps' descriptions (views/modals/stage2.ts).
 * Denials (the general wording), questionnaires (the blank questions) and clarification
 * questions (posted in the thread) stay as sent.
 */
async function purgeTexts(tx: Tx, scope: Scope): Promise<void> {
  await tx.delete(questionnaireAnswers).where(scope(questionnaireAnswers));
  await tx.delete(developerReplies).where(scope(developerReplies));
  await tx.update(denialReasons).set({ note: null }).where(scope(denialReasons));
  await tx
    .update(gaps)
    .set({ description: PURGED_TEXT, resolution: purgedIfSet(gaps.resolution) })
    .where(scope(gaps));
  await tx
    .update(developerMessages)
    .set({ body: PURGED_TEXT })
    .where(and(scope(developerMessages), eq(developerMessages.kind, 'information_request')));
}

/** The private texts of ended earlier cycles (answers, replies, denial notes, gap texts), cycle by cycle. */
async function purgeEarlierCycles(
  db: Db,
  now: Date,
  stale: SQL | undefined,
  retentionDays: number,
): Promise<{ applicationId: number; number: number }[]> {
  return db.transaction(async (tx) => {
    const cycles = await tx
      .update(reviewCycles)
      .set({ purgedAt: now, fastTrackReason: purgedIfSet(reviewCycles.fastTrackReason) })
      .where(stale)
      .returning({ applicationId: reviewCycles.applicationId, number: reviewCycles.number });
    for (const { applicationId, number } of cycles) {
      await purgeTexts(tx, (t) => and(eq(t.applicationId, applicationId), eq(t.cycle, number)));
      await recordChange(
        tx,
        { applicationId, type: 'review_cycle.purged', actor: 'system', at: now, payload: { cycle: number, retentionDays } },
        { thread: true },
      );
    }
    return cycles;
  });
}
