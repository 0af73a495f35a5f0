import { count, sql } from 'drizzle-orm';
import { applications } from '../../db/schema.ts';
import { type Read, read, readAll } from '../../db/together.ts';
import { OPEN_STAGES, type OpenStage, type TeamFigures } from '../../views/dashboard-types.ts';
import { subDaysUtc } from '../time.ts';
import { flowIn } from './flow.ts';
import { type DashboardDeps, isOpen } from './items.ts';

/** A few team figures for the App Home: open work by stage and owner, and the last 30 days' flow. */
export function teamFigures(deps: DashboardDeps, now: Date): Read<TeamFigures> {
  const since = subDaysUtc(now, 30);
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
      // As `/pii stats 30` counts them: resubmissions are received, and an approval counts
      // whatever came after it (a role review, a revocation, the next cycle).
      flow: flowIn(deps, since, now),
    },
    ({ open, flow }) => {
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
        receivedLast30Days: flow.received,
        approvedLast30Days: flow.approved,
      };
    },
  );
}
