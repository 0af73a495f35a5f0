import { and, asc, eq, isNotNull, isNull, or } from 'drizzle-orm';
import { applications, audits, remediationItems } from '../../db/schema.ts';
import type { AuditItem, AuditsModel, RemediationDue, Slice } from '../../views/dashboard-types.ts';
import { addDaysUtc } from '../time.ts';
import { cardRef, type DashboardDeps, sliceOf, totalCount } from './items.ts';

const slice = <T>(all: T[], limit: number): Slice<T> => ({ items: all.slice(0, limit), total: all.length });

/**
 * Approved applications in production whose implementation audit is not done yet: due
 * `auditAfterDays` after go-live. Each lands in exactly one list: overdue (due and not
 * scheduled, or its date passed without an outcome), scheduled, or upcoming.
 */
export async function auditOverview(
  deps: DashboardDeps,
  args: { now: Date; auditAfterDays: number; limit: number },
): Promise<AuditsModel> {
  const [pending, remediation] = await Promise.all([pendingAudits(deps, args.auditAfterDays), openRemediation(deps, args.limit)]);
  const now = args.now.getTime();
  const overdue: AuditItem[] = [];
  const scheduled: AuditItem[] = [];
  const upcoming: AuditItem[] = [];
  for (const item of pending) {
    if (item.audit) (item.audit.scheduledFor.getTime() < now ? overdue : scheduled).push(item);
    else (item.dueOn.getTime() <= now ? overdue : upcoming).push(item);
  }
  const when = (i: AuditItem) => (i.audit ? i.audit.scheduledFor.getTime() : i.dueOn.getTime());
  overdue.sort((a, b) => when(a) - when(b));
  scheduled.sort((a, b) => when(a) - when(b));
  return {
    overdue: slice(overdue, args.limit),
    scheduled: slice(scheduled, args.limit),
    upcoming: slice(upcoming, args.limit),
    remediation,
  };
}

/** One query: every approved application in production without a finished audit, soonest due first. */
export async function pendingAudits(deps: DashboardDeps, auditAfterDays: number): Promise<AuditItem[]> {
  const rows = await deps.db
    .select({
      applicationId: applications.id,
      organizationName: applications.organizationName,
      productionSince: applications.productionSince,
      cardChannel: applications.cardChannel,
      cardTs: applications.cardTs,
      auditStatus: audits.status,
      auditor: audits.auditor,
      scheduledFor: audits.scheduledFor,
    })
    .from(applications)
    .leftJoin(audits, eq(audits.applicationId, applications.id))
    .where(
      and(
        eq(applications.status, 'approved'),
        isNotNull(applications.productionSince),
        // The application's own audit status keeps this on an index (no scan of every audit).
        or(isNull(applications.auditStatus), eq(applications.auditStatus, 'scheduled')),
      ),
    )
    .orderBy(asc(applications.productionSince), asc(applications.id));
  return rows.flatMap((r) => {
    if (!r.productionSince) return [];
    return [
      {
        applicationId: r.applicationId,
        organizationName: r.organizationName,
        productionSince: r.productionSince,
        dueOn: addDaysUtc(r.productionSince, auditAfterDays),
        audit:
          r.auditStatus && r.auditor && r.scheduledFor
            ? { status: r.auditStatus, auditor: r.auditor, scheduledFor: r.scheduledFor }
            : null,
        card: cardRef(r),
      },
    ];
  });
}

/** Open remediation items soonest due first (`remediation_open_idx`). */
export async function openRemediation(deps: DashboardDeps, limit: number): Promise<Slice<RemediationDue>> {
  const rows = await deps.db
    .select({
      itemId: remediationItems.id,
      applicationId: applications.id,
      organizationName: applications.organizationName,
      text: remediationItems.text,
      dueOn: remediationItems.dueOn,
      cardChannel: applications.cardChannel,
      cardTs: applications.cardTs,
      total: totalCount,
    })
    .from(remediationItems)
    .innerJoin(audits, eq(audits.id, remediationItems.auditId))
    .innerJoin(applications, eq(applications.id, audits.applicationId))
    .where(isNull(remediationItems.closedAt))
    .orderBy(asc(remediationItems.dueOn), asc(remediationItems.id))
    .limit(limit);
  return sliceOf(rows, ({ cardChannel, cardTs, total: _total, ...item }) => ({
    ...item,
    card: cardRef({ cardChannel, cardTs }),
  }));
}
