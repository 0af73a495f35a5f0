import { Column, is, SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { DbOrTx } from './client.ts';
import { executePrepared } from './prepared.ts';
import { parsedJson, rowsOf } from './rows.ts';

/** A select built with Drizzle and not yet run. */
export type SelectQuery<R> = SQLWrapper & PromiseLike<R[]> & { _: { selectedFields: Record<string, unknown> } };

type Decode = (value: unknown) => unknown;

/**
 * Columns whose JSON form is not their driver's text: numbers JSON parses as doubles (int8 as
 * bigint, numeric as text) and timestamps kept as strings (JSON writes them as ISO 8601). A select
 * of one is refused in a combined read; run it alone, as Drizzle runs it.
 */
const DIFFERENT_IN_JSON = new Set(['PgNumeric', 'PgNumericBigInt', 'PgBigInt64', 'PgTimestampString']);

/**
 * How Drizzle turns each selected field's driver value into the row's value: a column by its own
 * mapping (Dates, parsed JSON), an expression by its `mapWith` decoder (none: as it came). The
 * expression's decoder is not in Drizzle's typings; it is what Drizzle's own row mapping reads.
 * Only flat selections of columns and expressions read together (what every read here is).
 */
function decodersOf(fields: Record<string, unknown>): [string, Decode][] {
  return Object.entries(fields).map(([key, field]) => {
    if (is(field, Column)) {
      if (DIFFERENT_IN_JSON.has(field.columnType))
        throw new Error(`readOne: ${key} (${field.columnType}) cannot be read as JSON`);
      return [key, (v) => field.mapFromDriverValue(v)];
    }
    const expression = is(field, SQL) ? field : is(field, SQL.Aliased) ? field.sql : undefined;
    if (!expression) throw new Error(`readOne: the field ${key} is neither a column nor an expression`);
    const decoder = (expression as unknown as { decoder: { mapFromDriverValue: Decode } }).decoder;
    return [key, (v) => decoder.mapFromDriverValue(v)];
  });
}

/**
 * A read a screen needs: one Drizzle select and what its rows become, or several reads and what
 * their results become together. Building a read runs nothing; `readOne` runs it.
 */
export type Read<T> =
  | { kind: 'select'; query: SelectQuery<unknown>; map: (rows: unknown[]) => T }
  | { kind: 'all'; parts: Record<string, Read<unknown> | null>; map: (results: Record<string, unknown>) => T };

type Results<P extends Record<string, Read<unknown> | null>> = {
  [K in keyof P]: P[K] extends Read<infer T> ? T : null;
};

/** A read of one select's rows. */
export function read<R, T>(query: SelectQuery<R>, map: (rows: R[]) => T): Read<T> {
  return { kind: 'select', query, map: map as (rows: unknown[]) => T };
}

/** A read made of several (a null part reads nothing and comes back null). */
export function readAll<P extends Record<string, Read<unknown> | null>, T>(parts: P, map: (results: Results<P>) => T): Read<T> {
  return { kind: 'all', parts, map: map as (results: Record<string, unknown>) => T };
}

/**
 * Runs a read. One select runs as Drizzle runs any select. Several run in one statement and one
 * round trip: each select becomes a scalar subquery that answers its rows as a JSON array, and
 * each row is decoded through its own select's fields, as Drizzle decodes a row (Dates, numbers,
 * parsed JSON). A screen of a dozen lists (the App Home) pays one network write, one parse and
 * one pooled connection instead of a dozen.
 *
 * Rows keep their select's ORDER BY: an aggregate over a sorted subquery takes the rows in the
 * subquery's order (PostgreSQL documentation, "Aggregate Functions": "supplying the input values
 * from a sorted subquery will usually work"); the dashboard tests read lists back in order on
 * both databases. The statement is prepared: its texts are the combinations of reads a screen
 * builds, a bounded set. A read's selects were built on a database handle (`deps.db`): one
 * select runs there; several run on `db`, which must be that handle (or its transaction).
 */
export async function readOne<T>(db: DbOrTx, r: Read<T>): Promise<T> {
  if (r.kind === 'select') return r.map((await r.query) as unknown[]);
  const selects: { query: SelectQuery<unknown>; fields: [string, Decode][]; rows?: unknown[] }[] = [];
  const collect = (part: Read<unknown>): void => {
    if (part.kind === 'select') {
      selects.push({ query: part.query, fields: decodersOf(part.query._.selectedFields) });
    } else {
      for (const child of Object.values(part.parts)) if (child) collect(child);
    }
  };
  collect(r);
  if (selects.length > 0) {
    const columns: SQL[] = selects.map(({ query, fields }, i) => {
      // Positional names for the subquery's columns: two selected columns may share a name.
      const names = sql.raw(fields.map((_, c) => `c${c}`).join(', '));
      return sql`(select coalesce(json_agg(t), '[]'::json) from ${query} as t(${names})) as ${sql.raw(`r${i}`)}`;
    });
    const [row] = rowsOf<Record<string, unknown>>(await executePrepared(db, sql`select ${sql.join(columns, sql`, `)}`));
    selects.forEach((select, i) => {
      const raw = row?.[`r${i}`];
      const list = parsedJson(raw) as Record<string, unknown>[];
      // A select whose SQL has more columns than its fields (a `select()` of a join) would be
      // decoded off by position: refuse it rather than answer the wrong values.
      const width = list[0] ? Object.keys(list[0]).length : select.fields.length;
      if (width !== select.fields.length)
        throw new Error(`readOne: a select answered ${width} columns for ${select.fields.length} fields`);
      select.rows = list.map((obj) => {
        const decoded: Record<string, unknown> = {};
        select.fields.forEach(([key, decode], c) => {
          const value = obj[`c${c}`];
          decoded[key] = value === null || value === undefined ? null : decode(value);
        });
        return decoded;
      });
    });
  }
  let next = 0;
  const assemble = (part: Read<unknown>): unknown => {
    if (part.kind === 'select') return part.map(selects[next++]?.rows ?? []);
    const results: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(part.parts)) results[key] = child ? assemble(child) : null;
    return part.map(results);
  };
  return assemble(r) as T;
}
