import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/rows.ts';
import { events, isApproval, isArrival } from '../../db/schema.ts';
import type { OpenStage, StageDuration, StatsModel } from '../../views/dashboard-types.ts';
import { OPEN_STAGES } from '../../views/dashboard-types.ts';
import { firstDayNotOver, subDaysUtc } from '../time.ts';
import { approvalCycle } from './flow.ts';
import type { DashboardDeps } from './items.ts';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * `/pii stats [days]`: what came in (new applications and resubmissions) and went out in the
 * window, each review cycle's outcome counted on its own (an application rejected in two cycles
 * counts twice; a role review's approval is not a second approval; received and approved as the
 * App Home counts them, db/schema.ts isArrival and isApproval), how long stays in each stage
 * took (only stays that ended in the window), and how long applications wait on developers now.
 * Stage stays are derived from the events: `application.received` enters Stage 1; an event whose
 * payload's before/after stage differ leaves one stage and enters the next, unless the application
 * is in that stage already: an intake that starts or ends a role review records the move twice at
 * one instant (the update, then the role review's own event), and that is one move, not a stay of
 * no time. A role review ends with the application approved again, whatever ends it (its own
 * decision, intake dropping its roles, access revoked): none of that is an approval.
 */
export async function teamStats(
  deps: DashboardDeps,
  args: { now: Date; days: number; auditAfterDays?: number },
): Promise<StatsModel> {
  const until = args.now;
  const since = subDaysUtc(until, args.days);
  const [counts, stays, waiting, production] = await Promise.all([
    windowCounts(deps, since, until),
    stageStays(deps, since, until),
    waitingNow(deps, until),
    productionNow(deps, until, args.auditAfterDays ?? 90),
  ]);
  return { days: args.days, since, until, ...counts, stages: stays, waitingOnDeveloper: waiting, production };
}

/** Access and audits now, each count on its partial index. */
async function productionNow(deps: DashboardDeps, now: Date, auditAfterDays: number) {
  // Audit dates and due dates are calendar days: on its own day an audit is not yet awaiting its outcome, nor an item overdue.
  const at = firstDayNotOver(now).toISOString();
  const liveBefore = subDaysUtc(now, auditAfterDays).toISOString();
  const result = await deps.db.execute(sql`
    select
      (select count(*) from applications where access_status in ('at_risk', 'suspended') and access_status = 'at_risk')::int as at_risk,
      (select count(*) from applications where access_status in ('at_risk', 'suspended') and access_status = 'suspended')::int as suspended,
      (select count(*) from applications where production_since is not null and audit_status is null
        and production_since <= ${liveBefore}::timestamptz and stage <> 'closed'
        and (access_status is null or access_status <> 'revoked'))::int as eligible,
      (select count(*) from audits where status = 'scheduled' and scheduled_for >= ${at}::timestamptz)::int as scheduled,
      (select count(*) from audits where status = 'scheduled' and scheduled_for < ${at}::timestamptz)::int as awaiting,
      (select count(*) from remediation_items where closed_at is null and due_on < ${at}::timestamptz)::int as remediation_overdue`);
  const [row] = rowsOf<Record<string, unknown>>(result);
  return {
    atRisk: num(row?.at_risk) ?? 0,
    suspended: num(row?.suspended) ?? 0,
    auditsEligible: num(row?.eligible) ?? 0,
    auditsScheduled: num(row?.scheduled) ?? 0,
    auditsAwaitingOutcome: num(row?.awaiting) ?? 0,
    remediationOverdue: num(row?.remediation_overdue) ?? 0,
  };
}

async function windowCounts(deps: DashboardDeps, since: Date, until: Date) {
  const result = await deps.db.execute(sql`
    select
      count(*) filter (where ${isArrival(events)})::int as received,
      count(distinct (${events.applicationId}, ${approvalCycle})) filter (where ${isApproval(events)})::int as approved,
      count(distinct (application_id, coalesce(payload->>'cycle', '1'))) filter (
        where payload->'after'->>'status' = 'rejected' and (payload->'before'->>'status') is distinct from 'rejected')::int as rejected,
      count(distinct (application_id, coalesce(payload->>'cycle', '1'))) filter (
        where payload->'after'->>'status' = 'rejected' and payload->'before'->>'stage' = 'business')::int as rejected_business,
      count(distinct (application_id, coalesce(payload->>'cycle', '1'))) filter (
        where payload->'after'->>'status' = 'rejected' and payload->'before'->>'stage' = 'security')::int as rejected_security,
      count(distinct (application_id, coalesce(payload->>'cycle', '1'))) filter (
        where payload->'after'->>'status' = 'rejected' and payload->'before'->>'stage' = 'architecture')::int as rejected_architecture
    from events
    where at >= ${since.toISOString()}::timestamptz and at <= ${until.toISOString()}::timestamptz`);
  const [row] = rowsOf<Record<string, unknown>>(result);
  return {
    received: num(row?.received) ?? 0,
    approved: num(row?.approved) ?? 0,
    rejected: num(row?.rejected) ?? 0,
    // The stage before the rejection: a rejection at Stage 2 or 3 counts there, not as a withdrawal.
    rejectedByStage: {
      business: num(row?.rejected_business) ?? 0,
      security: num(row?.rejected_security) ?? 0,
      architecture: num(row?.rejected_architecture) ?? 0,
    },
  };
}

async function stageStays(deps: DashboardDeps, since: Date, until: Date): Promise<StageDuration[]> {
  const from = since.toISOString();
  const to = until.toISOString();
  const result = await deps.db.execute(sql`
    with moves as (
      select e.application_id, e.id, e.at,
        case when e.type = 'application.received' then e.payload->>'stage' else e.payload->'after'->>'stage' end as entered
      from events e
      where e.application_id in (
          select distinct application_id from events where at >= ${from}::timestamptz and at <= ${to}::timestamptz)
        and (e.type = 'application.received'
          or (e.payload ? 'after' and (e.payload->'after'->>'stage') is distinct from (e.payload->'before'->>'stage')))
    ), entries as (
      select application_id, id, at, entered,
        lag(entered) over (partition by application_id order by id) as was
      from moves
    ), stays as (
      select entered as stage, at as started, lead(at) over (partition by application_id order by id) as ended
      from entries
      where entered is distinct from was
    )
    select stage, count(*)::int as n,
      percentile_cont(0.5) within group (order by extract(epoch from ended - started))::float8 * 1000 as median_ms,
      percentile_cont(0.9) within group (order by extract(epoch from ended - started))::float8 * 1000 as p90_ms
    from stays
    where ended >= ${from}::timestamptz and ended <= ${to}::timestamptz
    group by stage`);
  const byStage = new Map(
    rowsOf<{ stage: string; n: unknown; median_ms: unknown; p90_ms: unknown }>(result).map((r) => [r.stage, r]),
  );
  return OPEN_STAGES.map((stage: OpenStage) => {
    const r = byStage.get(stage);
    return { stage, count: num(r?.n) ?? 0, medianMs: num(r?.median_ms), p90Ms: num(r?.p90_ms) };
  });
}

async function waitingNow(deps: DashboardDeps, now: Date) {
  const at = now.toISOString();
  const result = await deps.db.execute(sql`
    select count(*)::int as n,
      percentile_cont(0.5) within group (order by extract(epoch from ${at}::timestamptz - status_since))::float8 * 1000 as median_ms,
      max(extract(epoch from ${at}::timestamptz - status_since))::float8 * 1000 as oldest_ms
    from applications
    where status = 'waiting_on_developer' and status not in ('approved', 'rejected', 'withdrawn')`);
  const [row] = rowsOf<{ n: unknown; median_ms: unknown; oldest_ms: unknown }>(result);
  return { count: num(row?.n) ?? 0, medianAgeMs: num(row?.median_ms), oldestAgeMs: num(row?.oldest_ms) };
}
