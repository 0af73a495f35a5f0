import { or, type SQL } from 'drizzle-orm';
import { type Read, readAll, readOne } from '../../db/together.ts';
import type { AuditItem, HomeModel, ListItem, Slice, WaitingReason } from '../../views/dashboard-types.ts';
import type { Policy, Roles } from '../config.ts';
import { parkedByCauseRead } from '../jobs/parked.ts';
import { addDaysUtc } from '../time.ts';
import { rolesOf } from '../workflow/roles.ts';
import { accessList, eligibleAudits, overdueRemediationCount, scheduledAudits } from './audits.ts';
import { teamFigures } from './figures.ts';
import { type DashboardDeps, openApplications, toListItem } from './items.ts';
import { architectWork, assignedWork, unassignedOpen, upcomingMeetings, waitingOnDevelopers } from './mine.ts';

/** Items per Home list; the rest is counted ("and N more"), keeping the tab far inside 100 blocks. */
export const HOME_LIST_LIMIT = 10;
/** Audits show on the Home from this many days before they are due (or scheduled). */
export const HOME_AUDIT_HORIZON_DAYS = 30;

export type HomeDeps = DashboardDeps & { roles: Roles; policy: Policy };

/**
 * What waits on the user, in one list: applications assigned to them that do not wait on the
 * developer (reviewers, admins), and open Stage 3 applications they are the architect of.
 */
function waitingOnUser(
  deps: DashboardDeps,
  userId: string,
  asAssignee: boolean,
  asArchitect: boolean,
): Read<Slice<ListItem & { reason: WaitingReason }>> | null {
  const mine: SQL[] = [];
  if (asAssignee) mine.push(assignedWork(userId));
  if (asArchitect) mine.push(architectWork(userId));
  if (mine.length === 0) return null;
  return openApplications(deps, {
    where: or(...mine),
    limit: HOME_LIST_LIMIT,
    map: (row) => ({
      ...toListItem(row),
      reason: asAssignee && row.assigneeId === userId ? ('assigned' as const) : ('architect' as const),
    }),
  });
}

/** Audits awaiting an outcome (their date passed), then those scheduled within the horizon. */
function auditsInFlight(deps: HomeDeps, now: Date): Read<Slice<AuditItem>> {
  const args = { now, auditAfterDays: deps.policy.auditAfterDays, limit: HOME_LIST_LIMIT };
  return readAll(
    {
      passed: scheduledAudits(deps, { ...args, until: null, passed: true }),
      ahead: scheduledAudits(deps, { ...args, until: addDaysUtc(now, HOME_AUDIT_HORIZON_DAYS), passed: false }),
    },
    ({ passed, ahead }) => ({
      items: [...passed.items, ...ahead.items].slice(0, HOME_LIST_LIMIT),
      total: passed.total + ahead.total,
    }),
  );
}

/** Access at risk and suspended, audits eligible and remediation overdue: what the team should know of production. */
function accessOverview(deps: HomeDeps, now: Date): Read<NonNullable<HomeModel['access']>> {
  return readAll(
    {
      atRisk: accessList(deps, 'at_risk', HOME_ACCESS_LIMIT),
      suspended: accessList(deps, 'suspended', HOME_ACCESS_LIMIT),
      eligible: eligibleAudits(deps, { now, auditAfterDays: deps.policy.auditAfterDays, limit: 1 }),
      remediationOverdue: overdueRemediationCount(deps, now),
    },
    ({ atRisk, suspended, eligible, remediationOverdue }) => ({
      atRisk,
      suspended,
      eligible: eligible.total,
      remediationOverdue,
    }),
  );
}

const HOME_ACCESS_LIMIT = 5;

/**
 * Everything one user's App Home shows; people without a role see the team figures only. Two
 * statements on two pooled connections, so Postgres runs them side by side: the lists, and the
 * counts (the team figures over the open backlog, production's state, parked effects). Measured
 * at 100,000 applications against a query per list: a quarter less CPU in the bot, p50 8.6-8.7
 * against 10.7-11.1 ms (README, performance).
 */
export async function loadHomeModel(deps: HomeDeps, userId: string, now: Date): Promise<HomeModel> {
  const held = rolesOf(deps.roles, userId);
  const roles = [...held].filter((r) => r !== 'integration');
  const canClaim = held.has('reviewer') || held.has('admin');
  const member = roles.length > 0;
  const lists = readAll(
    {
      waitingOnYou: waitingOnUser(deps, userId, canClaim, held.has('architect')),
      unassigned: canClaim ? unassignedOpen(deps, HOME_LIST_LIMIT) : null,
      meetings: member
        ? upcomingMeetings(deps, { now, limit: HOME_LIST_LIMIT, userId, scope: held.has('admin') ? 'all' : 'involving' })
        : null,
      audits: member ? auditsInFlight(deps, now) : null,
      waitingOnDevelopers: member ? waitingOnDevelopers(deps, HOME_LIST_LIMIT) : null,
    },
    (parts) => parts,
  );
  const counts = readAll(
    {
      figures: teamFigures(deps, now),
      access: member ? accessOverview(deps, now) : null,
      parked: held.has('admin') ? parkedByCauseRead(deps.db) : null,
    },
    (parts) => parts,
  );
  const [listed, counted] = await Promise.all([readOne(deps.db, lists), readOne(deps.db, counts)]);
  return { userId, roles, now, ...listed, ...counted };
}
