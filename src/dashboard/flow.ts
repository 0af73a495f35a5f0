import { and, count, gte, lte, sql } from 'drizzle-orm';
import { events, isApproval, isArrival } from '../../db/schema.ts';
import { type Read, read, readAll } from '../../db/together.ts';
import type { DashboardDeps } from './items.ts';

/**
 * The review cycle an approval belongs to: each cycle's approval counts once, with its
 * application (events recorded before cycles were carry none: they belong to the first).
 */
export const approvalCycle = sql<string>`coalesce(${events.payload}->>'cycle', '1')`;

/**
 * A window's arrivals and approvals, as `/pii stats` counts them (db/schema.ts: isArrival,
 * isApproval; approvals once per application and approvalCycle), for the App Home. Each is read
 * on its own partial index of events, so the cost follows the window's arrivals and approvals,
 * not every event of the window, nor the history: the arrivals are counted from the index
 * alone, the approvals from their events (a distinct subquery: hashed, not sorted).
 */
export function flowIn(deps: DashboardDeps, since: Date, until: Date): Read<{ received: number; approved: number }> {
  const inWindow = and(gte(events.at, since), lte(events.at, until));
  const approvals = deps.db
    .selectDistinct({ applicationId: events.applicationId, cycle: approvalCycle.as('cycle') })
    .from(events)
    .where(and(isApproval(events), inWindow))
    .as('approvals');
  return readAll(
    {
      received: read(
        deps.db
          .select({ n: count() })
          .from(events)
          .where(and(isArrival(events), inWindow)),
        ([row]) => row?.n ?? 0,
      ),
      approved: read(deps.db.select({ n: count() }).from(approvals), ([row]) => row?.n ?? 0),
    },
    (flow) => flow,
  );
}
