import { and, asc, gte, inArray, lte, sql } from 'drizzle-orm';
import { applications, events, reviewCycles } from '../../db/schema.ts';
import { subDaysUtc } from '../time.ts';
import { toCsv } from './csv.ts';
import type { DashboardDeps } from './items.ts';

export const APPLICATION_COLUMNS = [
  'id',
  'profileId',
  'organization',
  'stage',
  'status',
  'received',
  'status since',
  'assignee',
  'rejected at stage',
  'cycle',
] as const;
export const EVENT_COLUMNS = ['application id', 'event id', 'type', 'actor', 'at'] as const;

export type ExportFiles = {
  since: Date;
  until: Date;
  applications: number;
  events: number;
  files: { filename: string; title: string; content: string }[];
};

/**
 * `/pii export [days]`: every application with something happening in the window, and those
 * events. Names, states and actors only: no contact data, no security answers, no payloads.
 */
export async function buildExport(deps: DashboardDeps, args: { now: Date; days: number }): Promise<ExportFiles> {
  const until = args.now;
  const since = subDaysUtc(until, args.days);
  const inWindow = and(gte(events.at, since), lte(events.at, until));
  const [appRows, eventRows] = await Promise.all([
    deps.db
      .select({
        id: applications.id,
        profileId: applications.profileId,
        organizationName: applications.organizationName,
        stage: applications.stage,
        status: applications.status,
        receivedAt: applications.receivedAt,
        statusSince: applications.statusSince,
        assigneeId: applications.assigneeId,
        cycle: applications.cycle,
        rejectedAtStageColumn: applications.rejectedAtStage,
        // The stage a rejection ended (business, security, architecture); empty unless rejected now (this cycle).
        rejectedAtStage: sql<string | null>`case when ${applications.status} = 'rejected' then (
          select e.payload->'before'->>'stage' from ${events} e
          where e.application_id = ${applications.id} and e.payload->'after'->>'status' = 'rejected'
            and (e.payload->'before'->>'status') is distinct from 'rejected'
          order by e.id desc limit 1) end`,
      })
      .from(applications)
      .where(inArray(applications.id, deps.db.selectDistinct({ id: events.applicationId }).from(events).where(inWindow)))
      .orderBy(asc(applications.id)),
    deps.db
      .select({ applicationId: events.applicationId, id: events.id, type: events.type, actor: events.actor, at: events.at })
      .from(events)
      .where(inWindow)
      .orderBy(asc(events.applicationId), asc(events.id)),
  ]);
  // One row per review cycle: earlier cycles as they ended (from review_cycles), then the current one.
  const earlier = appRows.some((a) => a.cycle > 1)
    ? await deps.db
        .select()
        .from(reviewCycles)
        .where(
          inArray(
            reviewCycles.applicationId,
            appRows.filter((a) => a.cycle > 1).map((a) => a.id),
          ),
        )
        .orderBy(asc(reviewCycles.applicationId), asc(reviewCycles.number))
    : [];
  const rows = appRows.flatMap((a) => [
    ...earlier
      .filter((c) => c.applicationId === a.id && c.number < a.cycle)
      .map((c) => [
        a.id,
        a.profileId,
        a.organizationName,
        'closed',
        c.outcome,
        a.receivedAt,
        c.endedAt,
        null,
        c.outcome === 'rejected' ? c.endedAtStage : null,
        c.number,
      ]),
    [
      a.id,
      a.profileId,
      a.organizationName,
      a.stage,
      a.status,
      a.receivedAt,
      a.statusSince,
      a.assigneeId,
      a.status === 'rejected' ? (a.rejectedAtStage ?? a.rejectedAtStageColumn) : null,
      a.cycle,
    ],
  ]);
  const day = until.toISOString().slice(0, 10);
  return {
    since,
    until,
    applications: appRows.length,
    events: eventRows.length,
    files: [
      {
        filename: `pii-review-applications-${day}.csv`,
        title: `Applications, last ${args.days} days`,
        content: toCsv(APPLICATION_COLUMNS, rows),
      },
      {
        filename: `pii-review-events-${day}.csv`,
        title: `Events, last ${args.days} days`,
        content: toCsv(
          EVENT_COLUMNS,
          eventRows.map((e) => [e.applicationId, e.id, e.type, e.actor, e.at]),
        ),
      },
    ],
  };
}
