import { and, asc, eq, gte, isNotNull, isNull, lt, lte, ne, sql } from 'drizzle-orm';
import { applications, audits, remediationItems } from '../../db/schema.ts';
import { type Read, read, readAll, readOne } from '../../db/together.ts';
import type { AccessItem, AuditItem, AuditsModel, RemediationDue, Slice } from '../../views/dashboard-types.ts';
import { addDaysUtc, firstDayNotOver, subDaysUtc } from '../time.ts';
import type { AccessStatus } from '../workflow/access.ts';
import { accessColumns, accessNotRevoked, cardRef, type DashboardDeps, listRead, toAccessItem, totalCount } from './items.ts';

const card = { cardChannel: applications.cardChannel, cardTs: applications.cardTs, cardPermalink: applications.cardPermalink };

/**
 * Audits that may come and access after approval, each list on its own index: eligible
 * (never audited, AUDIT_AFTER_DAYS into production), scheduled (date ahead), awaiting an
 * outcome (date passed), remediation items open (overdue counted), access at risk and suspended.
 */
export function auditOverview(
  deps: DashboardDeps,
  args: { now: Date; auditAfterDays: number; limit: number },
): Promise<AuditsModel> {
  const overview = readAll(
    {
      eligible: eligibleAudits(deps, args),
      scheduled: scheduledAudits(deps, { ...args, until: null, passed: false }),
      awaitingOutcome: scheduledAudits(deps, { ...args, until: null, passed: true }),
      remediation: openRemediation(deps, args.limit),
      remediationOverdue: overdueRemediationCount(deps, args.now),
      atRisk: accessList(deps, 'at_risk', args.limit),
      suspended: accessList(deps, 'suspended', args.limit),
    },
    (model): AuditsModel => model,
  );
  return readOne(deps.db, overview);
}

/** Never audited, live at least `auditAfterDays` (`applications_unaudited_idx`), oldest eligibility first. */
export function eligibleAudits(
  deps: DashboardDeps,
  args: { now: Date; auditAfterDays: number; limit: number },
): Read<Slice<AuditItem>> {
  const query = deps.db
    .select({
      applicationId: applications.id,
      organizationName: applications.organizationName,
      productionSince: applications.productionSince,
      ...card,
      total: totalCount,
    })
    .from(applications)
    .where(
      and(
        isNotNull(applications.productionSince),
        isNull(applications.auditStatus),
        lte(applications.productionSince, subDaysUtc(args.now, args.auditAfterDays)),
        ne(applications.stage, 'closed').inlineParams(),
        accessNotRevoked,
      ),
    )
    .orderBy(asc(applications.productionSince), asc(applications.id))
    .limit(args.limit);
  return listRead(query, (r) => {
    const since = r.productionSince ?? args.now;
    return {
      applicationId: r.applicationId,
      organizationName: r.organizationName,
      productionSince: since,
      dueOn: addDaysUtc(since, args.auditAfterDays),
      audit: null,
      card: cardRef(r),
    };
  });
}

/**
 * Scheduled audits (`audits_scheduled_idx`), soonest first: those whose date passed (awaiting an
 * outcome), or those ahead, up to `until` when given (the Home's horizon). The audits are
 * counted and cut to the page on their own index before the page's applications are joined: a
 * count over the join would look up the application of every audit counted.
 */
export function scheduledAudits(
  deps: DashboardDeps,
  args: { now: Date; auditAfterDays: number; limit: number; until: Date | null; passed: boolean },
): Read<Slice<AuditItem>> {
  const when = args.passed
    ? lt(audits.scheduledFor, firstDayNotOver(args.now))
    : and(gte(audits.scheduledFor, firstDayNotOver(args.now)), args.until ? lte(audits.scheduledFor, args.until) : undefined);
  const page = deps.db.$with('page').as(
    deps.db
      .select({
        id: audits.id,
        applicationId: audits.applicationId,
        status: audits.status,
        auditor: audits.auditor,
        scheduledFor: audits.scheduledFor,
        total: totalCount.as('total'),
      })
      .from(audits)
      .where(and(eq(audits.status, 'scheduled').inlineParams(), when))
      .orderBy(asc(audits.scheduledFor), asc(audits.id))
      .limit(args.limit),
  );
  const query = deps.db
    .with(page)
    .select({
      applicationId: applications.id,
      organizationName: applications.organizationName,
      productionSince: applications.productionSince,
      status: page.status,
      auditor: page.auditor,
      scheduledFor: page.scheduledFor,
      ...card,
      total: page.total,
    })
    .from(page)
    .innerJoin(applications, eq(applications.id, page.applicationId))
    .orderBy(asc(page.scheduledFor), asc(page.id));
  return listRead(query, (r) => {
    const live = r.productionSince ?? r.scheduledFor;
    return {
      applicationId: r.applicationId,
      organizationName: r.organizationName,
      productionSince: live,
      dueOn: addDaysUtc(live, args.auditAfterDays),
      audit: { status: r.status, auditor: r.auditor, scheduledFor: r.scheduledFor },
      card: cardRef(r),
    };
  });
}

/** Open remediation items soonest due first (`remediation_open_idx`). */
export function openRemediation(deps: DashboardDeps, limit: number): Read<Slice<RemediationDue>> {
  const query = deps.db
    .select({
      itemId: remediationItems.id,
      applicationId: applications.id,
      organizationName: applications.organizationName,
      text: remediationItems.text,
      dueOn: remediationItems.dueOn,
      ...card,
      total: totalCount,
    })
    .from(remediationItems)
    .innerJoin(audits, eq(audits.id, remediationItems.auditId))
    .innerJoin(applications, eq(applications.id, audits.applicationId))
    .where(isNull(remediationItems.closedAt))
    .orderBy(asc(remediationItems.dueOn), asc(remediationItems.id))
    .limit(limit);
  return listRead(query, ({ cardChannel, cardTs, cardPermalink, total: _total, ...item }) => ({
    ...item,
    card: cardRef({ cardChannel, cardTs, cardPermalink }),
  }));
}

export function overdueRemediationCount(deps: DashboardDeps, now: Date): Read<number> {
  return read(
    deps.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(remediationItems)
      .where(and(isNull(remediationItems.closedAt), lt(remediationItems.dueOn, firstDayNotOver(now)))),
    ([row]) => row?.n ?? 0,
  );
}

/** Applications whose access is at risk or suspended (`applications_access_idx`), longest first. */
export function accessList(deps: DashboardDeps, status: AccessStatus, limit: number): Read<Slice<AccessItem>> {
  return listRead(
    deps.db
      .select({ ...accessColumns, total: totalCount })
      .from(applications)
      .where(eq(applications.accessStatus, status).inlineParams())
      .orderBy(asc(applications.accessSince), asc(applications.id))
      .limit(limit),
    toAccessItem,
  );
}
