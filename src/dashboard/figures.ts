import { count, sql } from 'drizzle-orm';
import { rowsOf } from '../../db/rows.ts';
import { applications } from '../../db/schema.ts';
import { OPEN_STAGES, type OpenStage, type TeamFigures } from '../../views/dashboard-types.ts';
import { subDaysUtc } from '../time.ts';
import { type DashboardDeps, isOpen } from './items.ts';

/** A few team figures for the App Home: open work by stage and owner, and the last 30 days' flow. */
export async function teamFigures(deps: DashboardDeps, now: Date): Promise<TeamFigures> {
  const since = subDaysUtc(now, 30).toISOString();
  const until = now.toISOString();
  const [open, flow] = await Promise.all([
    deps.db
      .select({
        stage: applications.stage,
        status: applications.status,
        unassigned: sql<number>`count(*) filter (where ${applications.assigneeId} is null)`.mapWith(Number),
        n: count(),
      })
      .from(applications)
      .where(isOpen)
      .groupBy(applications.stage, applications.status),
    // Both read from applications on an index, so the cost follows the last 30 days' arrivals and
    // approvals, not the history: `application.received` is written once, when the row is created
    // (received_at is that instant), and approval is final and sets approved_at at the event's instant.
    deps.db.execute(sql`
      select
        (select count(*) from ${applications}
          where ${applications.receivedAt} >= ${since}::timestamptz and ${applications.receivedAt} <= ${until}::timestamptz)::int as received,
        (select count(*) from ${applications}
          where ${applications.status} = 'approved'
            and ${applications.approvedAt} >= ${since}::timestamptz and ${applications.approvedAt} <= ${until}::timestamptz)::int as approved`),
  ]);
  const byStage = Object.fromEntries(OPEN_STAGES.map((s) => [s, 0])) as Record<OpenStage, number>;
  let total = 0;
  let unassigned = 0;
  let waiting = 0;
  for (const row of open) {
    total += row.n;
    unassigned += row.unassigned;
    if (row.status === 'waiting_on_developer') waiting += row.n;
    if (row.stage in byStage) byStage[row.stage as OpenStage] += row.n;
  }
  const [f] = rowsOf<{ received: unknown; approved: unknown }>(flow);
  return {
    open: total,
    unassigned,
    waitingOnDeveloper: waiting,
    byStage,
    receivedLast30Days: Number(f?.received ?? 0),
    approvedLast30Days: Number(f?.approved ?? 0),
  };
}
