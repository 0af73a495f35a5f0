import { and, asc, eq, isNotNull, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import { applications, audits, remediationItems } from '../../db/schema.ts';
import type { AuditItem, AuditsModel, RemediationDue, Slice } from '../../views/dashboard-types.ts';
import { addDaysUtc, subDaysUtc } from '../time.ts';
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

const pendingColumns = {
  applicationId: applications.id,
  organizationName: applications.organizationName,
  productionSince: applications.productionSince,
  cardChannel: applications.cardChannel,
  cardTs: applications.cardTs,
  cardPermalink: applications.cardPermalink,
  auditStatus: audits.status,
  auditor: audits.auditor,
  scheduledFor: audits.scheduledFor,
};

type PendingRow = {
  applicationId: number;
  organizationName: string;
  productionSince: Date | null;
  cardChannel: string | null;
  cardTs: string | null;
  auditStatus: string | null;
  auditor: string | null;
  scheduledFor: Date | null;
};

/** Matches the predicate of `applications_audit_pending_idx`: live, approved, audit not done yet. */
const auditPending = and(
  eq(applications.status, 'approved'),
  isNotNull(applications.productionSince),
  // The application's own audit status keeps this on an index (no scan of every audit).
  or(isNull(applications.auditStatus), eq(applications.auditStatus, 'scheduled')),
);

function toAuditItems(rows: PendingRow[], auditAfterDays: number): AuditItem[] {
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

/** One query: every approved application in production without a finished audit, soonest due first. */
export async function pendingAudits(deps: DashboardDeps, auditAfterDays: number): Promise<AuditItem[]> {
  const rows = await deps.db
    .select(pendingColumns)
    .from(applications)
    .leftJoin(audits, eq(audits.applicationId, applications.id))
    .where(auditPending)
    .orderBy(asc(applications.productionSince), asc(applications.id));
  return toAuditItems(rows, auditAfterDays);
}

/**
 * The pending audits due by `horizon` (scheduled for then or earlier, or, not scheduled,
 * `auditAfterDays` after go-live by then), in go-live order: the first `limit` and how many
 * there are. Two queries, each on its own partial index, so the cost follows the audits due,
 * not the applications in production nor the audits ever made:
 * - not scheduled (`applications_unaudited_idx`): only those live long enough to be due;
 * - scheduled (`applications_audit_scheduled_idx`): the audits in flight.
 * An application without an audit status has no audit row (scheduling writes both in one
 * transaction); the audit is still joined to both, LATERAL on `audits_application_idx`.
 */
export async function auditsDueBy(
  deps: DashboardDeps,
  args: { horizon: Date; auditAfterDays: number; limit: number },
): Promise<Slice<AuditItem>> {
  const unscheduledDueBy = subDaysUtc(args.horizon, args.auditAfterDays);
  const audit = deps.db
    .select({ id: audits.id, status: audits.status, auditor: audits.auditor, scheduledFor: audits.scheduledFor })
    .from(audits)
    .where(eq(audits.applicationId, applications.id))
    .limit(1)
    .as('audit');
  const among = (which: SQL | undefined) =>
    deps.db
      .select({
        ...pendingColumns,
        auditStatus: audit.status,
        auditor: audit.auditor,
        scheduledFor: audit.scheduledFor,
        total: totalCount,
      })
      .from(applications)
      .leftJoinLateral(audit, sql`true`)
      .where(
        and(
          eq(applications.status, 'approved'),
          isNotNull(applications.productionSince),
          which,
          or(lte(audit.scheduledFor, args.horizon), and(isNull(audit.id), lte(applications.productionSince, unscheduledDueBy))),
        ),
      )
      .orderBy(asc(applications.productionSince), asc(applications.id))
      .limit(args.limit);
  const [unscheduled, scheduled] = await Promise.all([
    among(and(isNull(applications.auditStatus), lte(applications.productionSince, unscheduledDueBy))),
    among(eq(applications.auditStatus, 'scheduled')),
  ]);
  const rows = [...unscheduled, ...scheduled]
    .sort(
      (a, b) => (a.productionSince?.getTime() ?? 0) - (b.productionSince?.getTime() ?? 0) || a.applicationId - b.applicationId,
    )
    .slice(0, args.limit);
  return {
    items: toAuditItems(rows, args.auditAfterDays),
    total: (unscheduled[0]?.total ?? 0) + (scheduled[0]?.total ?? 0),
  };
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
      cardPermalink: applications.cardPermalink,
      total: totalCount,
    })
    .from(remediationItems)
    .innerJoin(audits, eq(audits.id, remediationItems.auditId))
    .innerJoin(applications, eq(applications.id, audits.applicationId))
    .where(isNull(remediationItems.closedAt))
    .orderBy(asc(remediationItems.dueOn), asc(remediationItems.id))
    .limit(limit);
  return sliceOf(rows, ({ cardChannel, cardTs, cardPermalink, total: _total, ...item }) => ({
    ...item,
    card: cardRef({ cardChannel, cardTs, cardPermalink }),
  }));
}
