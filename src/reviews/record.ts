import { getTableColumns, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx, Tx } from '../../db/client.ts';
import { executePrepared } from '../../db/prepared.ts';
import { rowsOf } from '../../db/rows.ts';
import { applications, events, outbox, processedRequests } from '../../db/schema.ts';

/** Slack effects a change can cause; the dispatcher knows how to deliver each. */
export type Effect =
  | { kind: 'card.sync'; applicationId: number }
  /** One line in the card's thread, rendered from the event when it is sent. */
  | { kind: 'thread.event'; applicationId: number; eventId: number }
  /** A file for the card's thread, built when it is sent (today: the questionnaire attachment). */
  | { kind: 'thread.file'; applicationId: number; file: 'questionnaire' }
  /** The architecture review's calendar invite (a REQUEST, or a CANCEL once cancelled). */
  | { kind: 'thread.file'; applicationId: number; file: 'invite'; meetingId: number };

/**
 * A row a change adds beside the application's own (a gap raised), written in the change's
 * statement and only when its update matched; the event names the row's id under `payloadKey`.
 */
export type AddedRow = { table: PgTable; values: Record<string, unknown>; payloadKey: string };

/** `added as (insert … select … from u returning id)`: each value cast to its column's type. */
function addedRow(row: AddedRow): SQL {
  const columns: Record<string, { name: string; getSQLType(): string } | undefined> = getTableColumns(row.table);
  const entries = Object.entries(row.values).flatMap(([key, value]) => {
    const column = columns[key];
    if (!column) throw new Error(`${key} is not a column of the added row's table`);
    return value === undefined ? [] : [{ column, value }];
  });
  const names = sql.join(
    entries.map(({ column }) => sql.identifier(column.name)),
    sql`, `,
  );
  const values = sql.join(
    entries.map(({ column, value }) => sql`${sql.param(value, column as never)}::${sql.raw(column.getSQLType())}`),
    sql`, `,
  );
  return sql`added as (insert into ${row.table} (${names}) select ${values} from u returning id),`;
}

export type NewEvent = {
  applicationId: number;
  type: string;
  actor: string;
  at: Date;
  /** Names, states and decisions only: never contact data or security answers (events outlive retention). */
  payload: Record<string, unknown>;
};

/** The effects a change queues, numbered in the order the dispatcher must deliver them. */
function queuedEffects(applicationId: number | null, options: { thread: boolean; effects?: readonly Effect[] }): SQL {
  const queued: SQL[] = [
    sql`(0, ${'card.sync'}::text, ${applicationId}::integer, ${'{}'}::jsonb)`,
    ...(options.thread ? [sql`(1, ${'thread.event'}::text, ${applicationId}::integer, null::jsonb)`] : []),
    ...(options.effects ?? []).map(
      ({ kind, applicationId, ...payload }, i) =>
        sql`(${i + 2}::integer, ${kind}::text, ${applicationId}::integer, ${JSON.stringify(payload)}::jsonb)`,
    ),
  ];
  return sql.join(queued, sql`, `);
}

/**
 * The transaction's id, taken (and assigned, should the transaction have written nothing yet)
 * in a CTE that reads `source` and that the event's insert reads in turn, so the transaction
 * holds an xid before the event's id is drawn. Ids are drawn at insert and transactions commit
 * in any order; the webhook relay waits at a hole in the ids until every transaction that could
 * still fill it has ended, which it can tell only of transactions that had an xid when it looked
 * (src/jobs/webhooks.ts). A lock held to commit would keep ids in commit order instead, but it
 * serialised every commit of every instance.
 */
const xidFirst = (source: SQL) => sql`ordered as (select pg_current_xact_id() as xid from ${source})`;

/**
 * Appends the event of a change and queues what Slack must show of it, in one statement: the
 * card, always refreshed; when `thread` is set, the event's line in the card's thread; then
 * any further `effects`, queued in that order (the dispatcher delivers an application's
 * effects by id).
 */
export async function recordChange(
  tx: Tx,
  event: NewEvent,
  options: { thread: boolean; effects?: readonly Effect[] },
): Promise<number> {
  const at = event.at.toISOString();
  // The thread line names its event, whose id only the insert knows: a null payload stands for it.
  // The application's stage, status and review cycle as the change left them go into the event (`state`), so
  // anything sent later (a retried webhook) tells what was true then, not what is true now; its version, so a
  // decision refused for a version it did not see can tell what changed since.
  const result = await executePrepared(
    tx,
    sql`
    with a as (select id, stage, status, cycle, version from ${applications} where id = ${event.applicationId}::integer),
    ${xidFirst(sql`a`)},
    e as (
      insert into ${events} (application_id, type, actor, at, payload)
      select ${event.applicationId}::integer, ${event.type}::text, ${event.actor}::text, ${at}::timestamptz,
        ${JSON.stringify(event.payload)}::jsonb
          || jsonb_build_object('state', jsonb_build_object('stage', a.stage, 'status', a.status, 'cycle', a.cycle, 'version', a.version))
      from a cross join ordered
      returning id
    ), queued as (
      insert into ${outbox} (kind, application_id, payload, created_at, available_at)
      select v.kind, v.application_id, coalesce(v.payload, jsonb_build_object('eventId', e.id)),
        ${at}::timestamptz, ${at}::timestamptz
      from e cross join (values ${queuedEffects(event.applicationId, options)}) as v(n, kind, application_id, payload)
      order by v.n
    )
    select id from e`,
  );
  const [row] = rowsOf<{ id: number | string }>(result);
  if (!row) throw new Error('event insert returned no row');
  return Number(row.id);
}

/**
 * A decision's last statement: the application's update (an `update … returning *`, or the
 * insert of a new one), its event and its effects, as recordChange would write them, in one
 * round trip. The event's payload gets `after` (stage, status, assignee as the update left
 * them; unless `after` is false) under the given payload's own keys, and `state` over them.
 * With `row`, the added row goes in as well (its id in the payload); with `requestKey`, the
 * Slack request's key is taken (a key taken before fails the whole statement with a unique
 * violation: the request is a repeat). Answers the updated row as the driver returns
 * `row_to_json` (decode it with rowDecoder), or undefined when the update matched nothing
 * (then nothing else was written either).
 */
export async function recordUpdateAndChange(
  db: DbOrTx,
  update: SQLWrapper,
  /** `applicationId` null: the row `update` writes names it (the insert of a new application). */
  event: Omit<NewEvent, 'applicationId'> & { applicationId: number | null },
  options: { thread: boolean; effects?: readonly Effect[]; after?: boolean; row?: AddedRow; requestKey?: string },
): Promise<{ application: unknown; eventId: number } | undefined> {
  const at = event.at.toISOString();
  const after =
    options.after === false
      ? sql`'{}'::jsonb`
      : sql`jsonb_build_object('after', jsonb_build_object('stage', u.stage, 'status', u.status, 'assigneeId', u.assignee_id))`;
  const added = options.row
    ? {
        cte: addedRow(options.row),
        payload: sql` || jsonb_build_object(${options.row.payloadKey}::text, (select id from added))`,
      }
    : { cte: sql``, payload: sql`` };
  const key =
    options.requestKey === undefined
      ? sql``
      : sql`taken as (insert into ${processedRequests} (key, application_id, at) select ${options.requestKey}::text, u.id, ${at}::timestamptz from u),`;
  const result = await executePrepared(
    db,
    sql`
    with u as (${update.getSQL()}),
    ${xidFirst(sql`u`)},
    ${key}
    ${added.cte}
    e as (
      insert into ${events} (application_id, type, actor, at, payload)
      select u.id, ${event.type}::text, ${event.actor}::text, ${at}::timestamptz,
        ${after}
          || ${JSON.stringify(event.payload)}::jsonb${added.payload}
          || jsonb_build_object('state', jsonb_build_object('stage', u.stage, 'status', u.status, 'cycle', u.cycle, 'version', u.version))
      from u cross join ordered
      returning id, application_id
    ), queued as (
      insert into ${outbox} (kind, application_id, payload, created_at, available_at)
      select v.kind, coalesce(v.application_id, e.application_id), coalesce(v.payload, jsonb_build_object('eventId', e.id)),
        ${at}::timestamptz, ${at}::timestamptz
      from e cross join (values ${queuedEffects(event.applicationId, options)}) as v(n, kind, application_id, payload)
      order by v.n
    )
    select (select id from e) as event_id, (select row_to_json(u) from u) as application`,
  );
  const [row] = rowsOf<{ event_id: number | string | null; application: unknown }>(result);
  if (!row || row.event_id === null || row.application === null) return undefined;
  return { application: row.application, eventId: Number(row.event_id) };
}
