import { and, asc, isNull, ne, notInArray, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { applications } from '../../db/schema.ts';
import { type Read, read, type SelectQuery } from '../../db/together.ts';
import type { AccessItem, CardRef, ListItem, Slice } from '../../views/dashboard-types.ts';
import type { AccessStatus } from '../workflow/access.ts';
import { FINAL_STATUSES, type Stage, type Status } from '../workflow/states.ts';

export type DashboardDeps = { db: DbOrTx };

/**
 * Matches the predicate of `applications_open_by_stage_idx`, so the planner can use that index.
 * Constants a partial index's predicate names (statuses, stages) go in as literals
 * (`inlineParams`), here and in every dashboard read: a prepared statement's generic plan,
 * which Postgres picks after five runs and then stops planning, sees only `$n` in place of a
 * parameter and could not prove the predicate. Values from a request stay parameters.
 */
export const isOpen: SQL = notInArray(applications.status, [...FINAL_STATUSES]).inlineParams();

/** Access not revoked (nor unset, before any approval): revoked access ends its production life, so nothing of it is due or listed. */
export const accessNotRevoked = or(isNull(applications.accessStatus), ne(applications.accessStatus, 'revoked').inlineParams());

/** How many rows the whole filtered list has, read in the same query as its first page. */
export const totalCount = sql<number>`count(*) over()`.mapWith(Number);

/** The columns a list shows; never the submission (contact data, security answers). */
export const listColumns = {
  id: applications.id,
  organizationName: applications.organizationName,
  stage: applications.stage,
  status: applications.status,
  statusSince: applications.statusSince,
  receivedAt: applications.receivedAt,
  assigneeId: applications.assigneeId,
  architectId: applications.architectId,
  version: applications.version,
  cardChannel: applications.cardChannel,
  cardTs: applications.cardTs,
  cardPermalink: applications.cardPermalink,
  cycle: applications.cycle,
  roleReviewSince: applications.roleReviewSince,
};

export type ListRow = {
  id: number;
  organizationName: string;
  stage: string;
  status: string;
  statusSince: Date;
  receivedAt: Date;
  assigneeId: string | null;
  architectId: string | null;
  version: number;
  cardChannel: string | null;
  cardTs: string | null;
  cardPermalink?: string | null;
  cycle?: number;
  roleReviewSince?: Date | null;
};

export function cardRef(row: {
  cardChannel: string | null;
  cardTs: string | null;
  cardPermalink?: string | null;
}): CardRef | null {
  if (!row.cardChannel || !row.cardTs) return null;
  return { channel: row.cardChannel, ts: row.cardTs, ...(row.cardPermalink ? { permalink: row.cardPermalink } : {}) };
}

export function toListItem(row: ListRow): ListItem {
  return {
    id: row.id,
    organizationName: row.organizationName,
    stage: row.stage as Stage,
    status: row.status as Status,
    statusSince: row.statusSince,
    receivedAt: row.receivedAt,
    assigneeId: row.assigneeId,
    architectId: row.architectId,
    version: row.version,
    card: cardRef(row),
    ...(row.cycle && row.cycle > 1 ? { cycle: row.cycle } : {}),
    ...(row.roleReviewSince ? { roleReview: true } : {}),
  };
}

/** Open stages in process order, then statuses in the order the ball moves, for ORDER BY. */
export const stageOrder = sql`case ${applications.stage} when 'business' then 1 when 'security' then 2 when 'architecture' then 3 else 4 end`;
export const statusOrder = sql`case ${applications.status} when 'new' then 1 when 'in_review' then 2 when 'waiting_on_developer' then 3 else 4 end`;

/** The first `limit` rows with the window total, as a slice (total is 0 when nothing matched). */
export function sliceOf<R extends { total: number }, T>(rows: R[], map: (row: R) => T): { items: T[]; total: number } {
  return { items: rows.map(map), total: rows[0]?.total ?? 0 };
}

/**
 * A page of the open applications that match `where`, oldest in their status first unless
 * `order` says otherwise, with the total: what every list of applications on the dashboards
 * reads (on `applications_open_*` indexes).
 */
export function openApplications<T = ListItem>(
  deps: DashboardDeps,
  args: { where: SQL | undefined; limit: number; order?: SQL[]; map?: (row: ListRow) => T },
): Read<Slice<T>> {
  return listRead(
    deps.db
      .select({ ...listColumns, total: totalCount })
      .from(applications)
      .where(and(isOpen, args.where))
      .orderBy(...(args.order ?? [asc(applications.statusSince), asc(applications.id)]))
      .limit(args.limit),
    (args.map ?? toListItem) as (row: ListRow) => T,
  );
}

/** A read of a list's first page and its total (`totalCount`), each row mapped. */
export function listRead<R extends { total: number }, T>(query: SelectQuery<R>, map: (row: R) => T): Read<Slice<T>> {
  return read(query, (rows) => sliceOf(rows, map));
}

/** What an access line shows (at risk, suspended): `/pii audits`, `/pii mine` and the Home read the same columns. */
export const accessColumns = {
  applicationId: applications.id,
  organizationName: applications.organizationName,
  status: applications.accessStatus,
  since: applications.accessSince,
  reason: applications.accessReason,
  assigneeId: applications.assigneeId,
  cardChannel: applications.cardChannel,
  cardTs: applications.cardTs,
  cardPermalink: applications.cardPermalink,
};

export function toAccessItem(row: {
  applicationId: number;
  organizationName: string;
  status: string | null;
  since: Date | null;
  reason: string | null;
  assigneeId: string | null;
  cardChannel: string | null;
  cardTs: string | null;
  cardPermalink: string | null;
}): AccessItem {
  return {
    applicationId: row.applicationId,
    organizationName: row.organizationName,
    status: row.status as AccessStatus,
    since: row.since,
    reason: row.reason,
    assigneeId: row.assigneeId,
    card: cardRef(row),
  };
}
