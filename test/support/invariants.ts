import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

type Row = Record<string, unknown>;

export async function rowsOf(db: Db, query: SQL): Promise<Row[]> {
  return ((await db.execute(query)) as unknown as { rows: Row[] }).rows;
}

/**
 * What a torn transaction would leave behind, one line per problem (empty when whole):
 * every change is one transaction writing state + event + outbox, so any of these means a
 * write escaped its transaction. Events and their effects share one `at` (recordChange).
 */
export async function halfWritten(db: Db): Promise<string[]> {
  const problems: string[] = [];
  for (const r of await rowsOf(
    db,
    sql`select a.id from applications a where not exists (
      select 1 from events e where e.application_id = a.id and e.type = 'application.received')`,
  ))
    problems.push(`application ${r.id} has no application.received event`);
  for (const r of await rowsOf(
    db,
    sql`select e.id, e.type from events e where not exists (
      select 1 from outbox o where o.application_id = e.application_id and o.kind = 'card.sync' and o.created_at = e.at)`,
  ))
    problems.push(`event ${r.id} (${r.type}) has no card.sync outbox row`);
  for (const r of await rowsOf(
    db,
    sql`select e.id, e.type from events e where e.type <> 'application.received' and not exists (
      select 1 from outbox o where o.kind = 'thread.event' and o.payload->>'eventId' = e.id::text)`,
  ))
    problems.push(`event ${r.id} (${r.type}) has no thread.event outbox row`);
  for (const r of await rowsOf(
    db,
    sql`select r.key from reminders r where not exists (select 1 from outbox o where o.payload->>'key' = r.key)`,
  ))
    problems.push(`reminder ${r.key} has no outbox row`);
  for (const r of await rowsOf(
    db,
    sql`select p.key from processed_requests p where p.application_id is not null and not exists (
      select 1 from events e where e.application_id = p.application_id and e.at = p.at)`,
  ))
    problems.push(`processed request ${r.key} has no event`);
  return problems;
}

/** Row counts of the tables a request can write, to prove a refused one wrote nothing. */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const [row] = await rowsOf(
    db,
    sql`select
      (select count(*)::int from applications) as applications,
      (select count(*)::int from events) as events,
      (select count(*)::int from outbox) as outbox,
      (select count(*)::int from gaps) as gaps,
      (select count(*)::int from meetings) as meetings,
      (select count(*)::int from processed_requests) as processed_requests,
      (select count(*)::int from templates) as templates,
      (select coalesce(sum(version), 0)::int from applications) as versions`,
  );
  return row as Record<string, number>;
}
