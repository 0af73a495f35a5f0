import { and, asc, count, eq } from 'drizzle-orm';
import { applications } from '../../db/schema.ts';
import type { OpenStage, QueuePage } from '../../views/dashboard-types.ts';
import { type DashboardDeps, isOpen, listColumns, stageOrder, statusOrder, toListItem, totalCount } from './items.ts';

/** Applications per page of `/pii queue`: with the grouping, a page stays far inside 50 blocks and 3000 chars a section. */
export const QUEUE_PAGE_SIZE = 40;

/**
 * Open applications grouped by stage and status, oldest first within a group
 * (`applications_open_by_stage_idx`), one page and the total in one query.
 */
export async function openQueue(
  deps: DashboardDeps,
  args: { stage: OpenStage | null; offset: number; pageSize?: number },
): Promise<QueuePage> {
  const pageSize = args.pageSize ?? QUEUE_PAGE_SIZE;
  const where = args.stage ? and(isOpen, eq(applications.stage, args.stage)) : isOpen;
  const rows = await deps.db
    .select({ ...listColumns, total: totalCount })
    .from(applications)
    .where(where)
    .orderBy(stageOrder, statusOrder, asc(applications.statusSince), asc(applications.id))
    .limit(pageSize)
    .offset(args.offset);
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && args.offset > 0) {
    // Paged past the end (the queue shrank meanwhile): the window total is not there to read.
    const [row] = await deps.db.select({ n: count() }).from(applications).where(where);
    total = row?.n ?? 0;
  }
  return { stage: args.stage, offset: args.offset, pageSize, total, items: rows.map(toListItem) };
}
