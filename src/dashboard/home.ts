import { and, asc, eq, ne, or, type SQL } from 'drizzle-orm';
import { applications } from '../../db/schema.ts';
import type { HomeModel, ListItem, Slice, WaitingReason } from '../../views/dashboard-types.ts';
import type { Policy, Roles } from '../config.ts';
import { parkedByCause } from '../jobs/parked.ts';
import { addDaysUtc } from '../time.ts';
import { rolesOf } from '../workflow/roles.ts';
import { auditsDueBy } from './audits.ts';
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
    member
      ? auditsDueBy(deps, {
          horizon: addDaysUtc(now, HOME_AUDIT_HORIZON_DAYS),
          auditAfterDays: deps.policy.auditAfterDays,
          limit: HOME_LIST_LIMIT,
        })
      : null,
    member ? waitingOnDevelopers(deps, HOME_LIST_LIMIT) : null,
    teamFigures(deps, now),
  ]);
  const parked = held.has('admin') ? await parkedByCause(deps.db) : null;
  return {
    userId,
    roles,
    now,
    waitingOnYou,
    unassigned,
    meetings,
    audits,
    waitingOnDevelopers: waitingDevs,
    figures,
    parked,
  };
}
