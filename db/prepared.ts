import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { DbOrTx } from './client.ts';

const dialect = new PgDialect({ casing: 'snake_case' });
const names = new Map<string, string>();

/** The statement's name: one per text, so a connection that parsed it once never parses it again. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `pr_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs a hand-written statement as a named prepared statement: on Postgres each pooled
 * connection parses and plans it once, where an unnamed statement is parsed and planned on
 * every call (for the review rows' dozen subqueries, planning cost more than running them).
 * On PGlite it runs as any other query. Answers the driver's result, as `db.execute` does.
 *
 * Only for statements whose text comes from a bounded set of shapes (values go in as
 * parameters): every distinct text stays prepared on every connection that ran it.
 */
export function executePrepared(db: DbOrTx, query: SQL): Promise<unknown> {
  const built = dialect.sqlToQuery(query);
  return db._.session.prepareQuery(built, undefined, nameOf(built.sql), false).execute();
}
