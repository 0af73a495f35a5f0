import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { applications } from '../../db/schema.ts';
import type { RiskCause } from '../workflow/access.ts';
import { recordChange } from './record.ts';

/**
 * Access falls at risk when the sweep finds its period ran out: one transaction per
 * application, taken only while access is still active and its last call and reinstatement
 * are those the sweep judged (a call recorded, or access suspended and reinstated, since it
 * read them keeps access as it is; of two instances sweeping at once, one records the change),
 * with its event, card update and thread line. The version moves, so a modal opened on the
 * earlier state is told what changed.
 */
export async function markAtRisk(
  db: Db,
  app: { id: number; since: Date; cause: RiskCause; lastCallAt: Date | null; reinstatedAt: Date | null },
  now: Date,
): Promise<boolean> {
  // As read into a Date: to the millisecond.
  const unchanged = (column: typeof applications.lastRestrictedCallAt, read: Date | null) =>
    sql`date_trunc('milliseconds', ${column}) is not distinct from ${read?.toISOString() ?? null}::timestamptz`;
  return db.transaction(async (tx) => {
    const [changed] = await tx
      .update(applications)
      .set({
        accessStatus: 'at_risk',
        accessSince: app.since,
        accessReason: app.cause,
        version: sql`${applications.version} + 1`,
        updatedAt: now,
      })
      .where(
        and(
          eq(applications.id, app.id),
          eq(applications.accessStatus, 'active'),
          unchanged(applications.lastRestrictedCallAt, app.lastCallAt),
          unchanged(applications.accessReinstatedAt, app.reinstatedAt),
        ),
      )
      .returning({ id: applications.id });
    if (!changed) return false;
    await recordChange(
      tx,
      {
        applicationId: app.id,
        type: 'access.at_risk',
        actor: 'system',
        at: now,
        payload: {
          from: 'active',
          to: 'at_risk',
          reason: app.cause,
          since: app.since.toISOString(),
          ...(app.lastCallAt ? { lastCallAt: app.lastCallAt.toISOString() } : {}),
        },
      },
      { thread: true },
    );
    return true;
  });
}
