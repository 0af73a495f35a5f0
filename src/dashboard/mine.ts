import { and, asc, eq, gte, inArray, isNull, ne, or, type SQL } from 'drizzle-orm';
import { applications, meetings } from '../../db/schema.ts';
import { type Read, readAll, readOne } from '../../db/together.ts';
import type { AccessItem, ListItem, MeetingItem, MineModel, Slice } from '../../views/dashboard-types.ts';
import type { Role } from '../workflow/roles.ts';
import {
  accessColumns,
  cardRef,
  type DashboardDeps,
  listRead,
  openApplications,
  stageOrder,
  toAccessItem,
  totalCount,
} from './items.ts';

/** A reviewer's work: applications assigned to the user that do not wait on the developer. */
export const assignedWork = (userId: string): SQL =>
  and(eq(applications.assigneeId, userId), ne(applications.status, 'waiting_on_developer').inlineParams()) as SQL;

/**
 * An architect's work: Stage 3 applications whose solution architect is the user and that do not
 * wait on the developer (those are under "Waiting on developers", as for the reviewer).
 */
export const architectWork = (userId: string): SQL =>
  and(
    eq(applications.stage, 'architecture').inlineParams(),
    eq(applications.architectId, userId),
    ne(applications.status, 'waiting_on_developer').inlineParams(),
  ) as SQL;

/** Open applications assigned to the user that do not wait on the developer (the reviewer's work). */
export function assignedTo(deps: DashboardDeps, userId: string, limit: number): Read<Slice<ListItem>> {
  return openApplications(deps, { where: assignedWork(userId), limit });
}

/** Open Stage 3 applications whose solution architect is the user that do not wait on the developer. */
export function architectOf(deps: DashboardDeps, userId: string, limit: number): Read<Slice<ListItem>> {
  return openApplications(deps, { where: architectWork(userId), limit });
}

/** Open applications nobody has claimed, earliest stage first, then oldest. */
export function unassignedOpen(deps: DashboardDeps, limit: number): Read<Slice<ListItem>> {
  const order = [stageOrder, asc(applications.statusSince), asc(applications.id)];
  return openApplications(deps, { where: isNull(applications.assigneeId), limit, order });
}

/** Open applications waiting on the developer, longest waiting first. */
export function waitingOnDevelopers(deps: DashboardDeps, limit: number): Read<Slice<ListItem>> {
  return openApplications(deps, { where: eq(applications.status, 'waiting_on_developer').inlineParams(), limit });
}

/**
 * Scheduled architecture reviews from now on (`meetings_upcoming_idx`): with `involving`, those
 * the user is the architect of and those of applications assigned to them; `all` for admins.
 */
export function upcomingMeetings(
  deps: DashboardDeps,
  args: { now: Date; limit: number; userId: string; scope: 'involving' | 'all' },
): Read<Slice<MeetingItem>> {
  const whose =
    args.scope === 'all' ? undefined : or(eq(meetings.architectId, args.userId), eq(applications.assigneeId, args.userId));
  const query = deps.db
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
    .where(and(eq(meetings.status, 'scheduled').inlineParams(), gte(meetings.startsAt, args.now), whose))
    .orderBy(asc(meetings.startsAt), asc(meetings.id))
    .limit(args.limit);
  return listRead(query, ({ cardChannel, cardTs, cardPermalink, total: _total, ...meeting }) => ({
    ...meeting,
    card: cardRef({ cardChannel, cardTs, cardPermalink }),
  }));
}

/**
 * Access that waits on the user (`applications_access_idx`): at risk on the applications assigned
 * to them (the assignee records the next call), and, for admins, every suspension to decide on.
 */
export function accessWaitingOn(deps: DashboardDeps, userId: string, admin: boolean, limit: number): Read<Slice<AccessItem>> {
  return listRead(
    deps.db
      .select({ ...accessColumns, total: totalCount })
      .from(applications)
      .where(
        and(
          inArray(applications.accessStatus, ['at_risk', 'suspended']).inlineParams(),
          admin
            ? or(eq(applications.assigneeId, userId), eq(applications.accessStatus, 'suspended').inlineParams())
            : eq(applications.assigneeId, userId),
        ),
      )
      .orderBy(asc(applications.accessSince), asc(applications.id))
      .limit(limit),
    toAccessItem,
  );
}

/**
 * `/pii mine`: what waits on the user, one list per role held, all read in one statement. It is
 * where the App Home's "and N more" sends people, so each list has the Home's scope: assigned
 * work for whoever may claim (reviewers and admins), Stage 3 reviews for architects, and the
 * upcoming architecture reviews for every role holder (their own and their applications', all
 * of them for admins).
 */
export function whatWaitsOn(
  deps: DashboardDeps,
  args: { userId: string; roles: ReadonlySet<Role>; now: Date; limit: number },
): Promise<MineModel> {
  const { userId, roles, now, limit } = args;
  const canClaim = roles.has('reviewer') || roles.has('admin');
  const member = [...roles].some((r) => r !== 'integration');
  const lists = readAll(
    {
      assigned: canClaim ? assignedTo(deps, userId, limit) : null,
      architect: roles.has('architect') ? architectOf(deps, userId, limit) : null,
      meetings: member ? upcomingMeetings(deps, { now, limit, userId, scope: roles.has('admin') ? 'all' : 'involving' }) : null,
      unassigned: roles.has('admin') ? unassignedOpen(deps, limit) : null,
      access: canClaim ? accessWaitingOn(deps, userId, roles.has('admin'), limit) : null,
    },
    ({ assigned, architect, meetings: ahead, unassigned, access }): MineModel => ({
      userId,
      roles: [...roles].filter((r) => r !== 'integration'),
      ...(assigned ? { assigned } : {}),
      ...(architect ? { architect } : {}),
      ...(ahead ? { meetings: ahead } : {}),
      ...(unassigned ? { unassigned } : {}),
      ...(access ? { access } : {}),
    }),
  );
  return readOne(deps.db, lists);
}
