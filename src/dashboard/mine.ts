import { and, asc, eq, gte, inArray, isNull, ne, or } from 'drizzle-orm';
import { applications, meetings } from '../../db/schema.ts';
import type { AccessItem, ListItem, MeetingItem, MineModel, Slice } from '../../views/dashboard-types.ts';
import type { Role } from '../workflow/roles.ts';
import {
  accessColumns,
  cardRef,
  type DashboardDeps,
  isOpen,
  listColumns,
  sliceOf,
  stageOrder,
  toAccessItem,
  toListItem,
  totalCount,
} from './items.ts';

/** Open applications assigned to the user that do not wait on the developer (the reviewer's work). */
export async function assignedTo(deps: DashboardDeps, userId: string, limit: number): Promise<Slice<ListItem>> {
  const rows = await deps.db
    .select({ ...listColumns, total: totalCount })
    .from(applications)
    .where(and(isOpen, eq(applications.assigneeId, userId), ne(applications.status, 'waiting_on_developer')))
    .orderBy(asc(applications.statusSince), asc(applications.id))
    .limit(limit);
  return sliceOf(rows, toListItem);
}

/** Open Stage 3 applications whose solution architect is the user. */
export async function architectOf(deps: DashboardDeps, userId: string, limit: number): Promise<Slice<ListItem>> {
  const rows = await deps.db
    .select({ ...listColumns, total: totalCount })
    .from(applications)
    .where(and(isOpen, eq(applications.stage, 'architecture'), eq(applications.architectId, userId)))
    .orderBy(asc(applications.statusSince), asc(applications.id))
    .limit(limit);
  return sliceOf(rows, toListItem);
}

/** Open applications nobody has claimed, oldest first. */
export async function unassignedOpen(deps: DashboardDeps, limit: number): Promise<Slice<ListItem>> {
  const rows = await deps.db
    .select({ ...listColumns, total: totalCount })
    .from(applications)
    .where(and(isOpen, isNull(applications.assigneeId)))
    .orderBy(stageOrder, asc(applications.statusSince), asc(applications.id))
    .limit(limit);
  return sliceOf(rows, toListItem);
}

/** Open applications waiting on the developer, longest waiting first. */
export async function waitingOnDevelopers(deps: DashboardDeps, limit: number): Promise<Slice<ListItem>> {
  const rows = await deps.db
    .select({ ...listColumns, total: totalCount })
    .from(applications)
    .where(and(isOpen, eq(applications.status, 'waiting_on_developer')))
    .orderBy(asc(applications.statusSince), asc(applications.id))
    .limit(limit);
  return sliceOf(rows, toListItem);
}

/**
 * Scheduled architecture reviews from now on (`meetings_upcoming_idx`): the architect's own,
 * or, with `involving`, also those of applications assigned to the user; `all` for admins.
 */
export async function upcomingMeetings(
  deps: DashboardDeps,
  args: { now: Date; limit: number; userId: string; scope: 'architect' | 'involving' | 'all' },
): Promise<Slice<MeetingItem>> {
  const whose =
    args.scope === 'all'
      ? undefined
      : args.scope === 'architect'
        ? eq(meetings.architectId, args.userId)
        : or(eq(meetings.architectId, args.userId), eq(applications.assigneeId, args.userId));
  const rows = await deps.db
    .select({
      meetingId: meetings.id,
      applicationId: meetings.applicationId,
      organizationName: applications.organizationName,
      architectId: meetings.architectId,
      startsAt: meetings.startsAt,
      durationMinutes: meetings.durationMinutes,
      cardChannel: applications.cardChannel,
      cardTs: applications.cardTs,
      cardPermalink: applications.cardPermalink,
      total: totalCount,
    })
    .from(meetings)
    .innerJoin(applications, eq(applications.id, meetings.applicationId))
    .where(and(eq(meetings.status, 'scheduled'), gte(meetings.startsAt, args.now), whose))
    .orderBy(asc(meetings.startsAt), asc(meetings.id))
    .limit(args.limit);
  return sliceOf(rows, ({ cardChannel, cardTs, cardPermalink, total: _total, ...meeting }) => ({
    ...meeting,
    card: cardRef({ cardChannel, cardTs, cardPermalink }),
  }));
}

/**
 * Access that waits on the user (`applications_access_idx`): at risk on the applications assigned
 * to them (the assignee records the next call), and, for admins, every suspension to decide on.
 */
export async function accessWaitingOn(
  deps: DashboardDeps,
  userId: string,
  admin: boolean,
  limit: number,
): Promise<Slice<AccessItem>> {
  const rows = await deps.db
    .select({ ...accessColumns, total: totalCount })
    .from(applications)
    .where(
      and(
        inArray(applications.accessStatus, ['at_risk', 'suspended']),
        admin
          ? or(eq(applications.assigneeId, userId), eq(applications.accessStatus, 'suspended'))
          : eq(applications.assigneeId, userId),
      ),
    )
    .orderBy(asc(applications.accessSince), asc(applications.id))
    .limit(limit);
  return sliceOf(rows, toAccessItem);
}

/** `/pii mine`: what waits on the user, one list per role held, each one query. */
export async function whatWaitsOn(
  deps: DashboardDeps,
  args: { userId: string; roles: ReadonlySet<Role>; now: Date; limit: number },
): Promise<MineModel> {
  const { userId, roles, now, limit } = args;
  const [assigned, architect, meetingsAhead, unassigned, access] = await Promise.all([
    roles.has('reviewer') ? assignedTo(deps, userId, limit) : undefined,
    roles.has('architect') ? architectOf(deps, userId, limit) : undefined,
    roles.has('architect') ? upcomingMeetings(deps, { now, limit, userId, scope: 'architect' }) : undefined,
    roles.has('admin') ? unassignedOpen(deps, limit) : undefined,
    roles.has('reviewer') || roles.has('admin') ? accessWaitingOn(deps, userId, roles.has('admin'), limit) : undefined,
  ]);
  return {
    userId,
    roles: [...roles].filter((r) => r !== 'integration'),
    ...(assigned ? { assigned } : {}),
    ...(architect ? { architect } : {}),
    ...(meetingsAhead ? { meetings: meetingsAhead } : {}),
    ...(unassigned ? { unassigned } : {}),
    ...(access ? { access } : {}),
  };
}
