import { and, count, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import { applications } from '../../db/schema.ts';
import { type Read, read, readAll } from '../../db/together.ts';
import { OPEN_STAGES, type OpenStage, type TeamFigures } from '../../views/dashboard-types.ts';
import { subDaysUtc } from '../time.ts';
import { type DashboardDeps, isOpen } from './items.ts';

/** A few team figures for the App Home: open work by stage and owner, and the last 30 days' flow. */
export function teamFigures(deps: DashboardDeps, now: Date): Read<TeamFigures> {
  const since = subDaysUtc(now, 30);
  const counted = (where: SQL | undefined) =>
    read(deps.db.select({ n: count() }).from(applications).where(where), ([row]) => row?.n ?? 0);
  return readAll(
    {
      open: read(
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
        (rows) => rows,
      ),
      // Both read from applications on an index, so the cost follows the last 30 days' arrivals and
      // approvals, not the history: `application.received` is written once, when the row is created
      // (received_at is that instant), and approval is final and sets approved_at at the event's instant.
      received: counted(and(gte(applications.receivedAt, since), lte(applications.receivedAt, now))),
      approved: counted(
        and(
          eq(applications.status, 'approved').inlineParams(),
          gte(applications.approvedAt, since),
          lte(applications.approvedAt, now),
        ),
      ),
    },
    ({ open, received, approved }) => {
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
      return {
        open: total,
        unassigned,
        waitingOnDeveloper: waiting,
        byStage,
        receivedLast30Days: received,
        approvedLast30Days: approved,
      };
    },
  );
}
