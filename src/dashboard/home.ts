import { and, asc, eq, ne, or, type SQL } from 'drizzle-orm';
import { applications } from '../../db/schema.ts';
import type { AuditItem, HomeModel, ListItem, Slice, WaitingReason } from '../../views/dashboard-types.ts';
import type { Policy, Roles } from '../config.ts';
import { parkedByCause } from '../jobs/parked.ts';
import { addDaysUtc } from '../time.ts';
import { rolesOf } from '../workflow/roles.ts';
import { accessList, eligibleAudits, overdueRemediationCount, scheduledAudits } from './audits.ts';
import { teamFigures } from './figures.ts';
import { type DashboardDeps, isOpen, listColumns, sliceOf, toListItem, totalCount } from './items.ts';
import { unassignedOpen, upcomingMeetings, waitingOnDevelopers } from './mine.ts';

/** Items per Home list; the rest is counted ("and N more"), keeping the tab far inside 100 blocks. */
export const HOME_LIST_LIMIT = 10;
/** Audits show on the Home from this many days before they are due (or scheduled). */
export const HOME_AUDIT_HORIZON_DAYS = 30;

export type HomeDeps = DashboardDeps & { roles: Roles; policy: Policy };

/**
 * What waits on the user, in one query: applications assigned to them that do not wait on the
 * developer (reviewers, admins), and open Stage 3 applications they are the architect of.
 */
async function waitingOnUser(
  deps: DashboardDeps,
  userId: string,
  asAssignee: boolean,
  asArchitect: boolean,
): Promise<Slice<ListItem & { reason: WaitingReason }> | null> {
  const mine: SQL[] = [];
  if (asAssignee) mine.push(and(eq(applications.assigneeId, userId), ne(applications.status, 'waiting_on_developer')) as SQL);
  if (asArchitect) mine.push(and(eq(applications.stage, 'architecture'), eq(applications.architectId, userId)) as SQL);
  if (mine.length === 0) return null;
  const rows = await deps.db
    .select({ ...listColumns, total: totalCount })
    .from(applications)
    .where(and(isOpen, or(...mine)))
    .orderBy(asc(applications.statusSince), asc(applications.id))
    .limit(HOME_LIST_LIMIT);
  return sliceOf(rows, (row) => ({
    ...toListItem(row),
    reason: asAssignee && row.assigneeId === userId ? ('assigned' as const) : ('architect' as const),
  }));
}

/** Audits awaiting an outcome (their date passed), then those scheduled within the horizon. */
async function auditsInFlight(deps: HomeDeps, now: Date): Promise<Slice<AuditItem>> {
  const args = { now, auditAfterDays: deps.policy.auditAfterDays, limit: HOME_LIST_LIMIT };
  const [passed, ahead] = await Promise.all([
    scheduledAudits(deps, { ...args, until: null, passed: true }),
    scheduledAudits(deps, { ...args, until: addDaysUtc(now, HOME_AUDIT_HORIZON_DAYS), passed: false }),
  ]);
  return { items: [...passed.items, ...ahead.items].slice(0, HOME_LIST_LIMIT), total: passed.total + ahead.total };
}

/** Access at risk and suspended, audits eligible and remediation overdue: what the team should know of production. */
async function accessOverview(deps: HomeDeps, now: Date): Promise<NonNullable<HomeModel['access']>> {
  const [atRisk, suspended, eligible, remediationOverdue] = await Promise.all([
    accessList(deps, 'at_risk', HOME_ACCESS_LIMIT),
    accessList(deps, 'suspended', HOME_ACCESS_LIMIT),
    eligibleAudits(deps, { now, auditAfterDays: deps.policy.auditAfterDays, limit: 1 }),
    overdueRemediationCount(deps, now),
  ]);
  return { atRisk, suspended, eligible: eligible.total, remediationOverdue };
}

const HOME_ACCESS_LIMIT = 5;

/** Everything one user's App Home shows; people without a role see the team figures only. */
export async function loadHomeModel(deps: HomeDeps, userId: string, now: Date): Promise<HomeModel> {
  const held = rolesOf(deps.roles, userId);
  const roles = [...held].filter((r) => r !== 'integration');
  const canClaim = held.has('reviewer') || held.has('admin');
  const member = roles.length > 0;
  const [waitingOnYou, unassigned, meetings, audits, waitingDevs, figures] = await Promise.all([
    waitingOnUser(deps, userId, canClaim, held.has('architect')),
    canClaim ? unassignedOpen(deps, HOME_LIST_LIMIT) : null,
    member
      ? upcomingMeetings(deps, { now, limit: HOME_LIST_LIMIT, userId, scope: held.has('admin') ? 'all' : 'involving' })
      : null,
    member ? auditsInFlight(deps, now) : null,
    member ? waitingOnDevelopers(deps, HOME_LIST_LIMIT) : null,
    teamFigures(deps, now),
  ]);
  const parked = held.has('admin') ? await parkedByCause(deps.db) : null;
  const access = member ? await accessOverview(deps, now) : null;
  return {
    userId,
    roles,
    now,
    waitingOnYou,
    unassigned,
    meetings,
    audits,
    access,
    waitingOnDevelopers: waitingDevs,
    figures,
    parked,
  };
}
