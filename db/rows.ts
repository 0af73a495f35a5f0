import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

// For `db.execute` and the few hand-written statements (one round trip where the query builder
// needs several): their rows, and the decoding of a row into what Drizzle's select returns.

/** Raw `db.execute` rows: pg and PGlite both answer `{ rows }`. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  return ((result as { rows?: unknown[] }).rows ?? []) as T[];
}

/** A json or jsonb value as the driver hands it: parsed already (pg, PGlite), or as text. */
export const parsedJson = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/**
 * Decodes a row keyed by column name (a `returning *`, or an object of `row_to_json`) into the
 * row Drizzle returns: property names, Dates, parsed JSON, through each column's own mapping.
 */
export function rowDecoder<T extends PgTable>(table: T): (raw: unknown) => T['$inferSelect'] {
  const columns = Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name, column] as const);
  return (raw) => {
    const source = raw as Record<string, unknown>;
    const row: Record<string, unknown> = {};
    for (const [key, name, column] of columns) {
      const value = source[name];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as T['$inferSelect'];
  };
}
