import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { type Database, type Db, openDatabase } from '../db/client.ts';
import * as schema from '../db/schema.ts';

export type BenchDatabase = Database & {
  /** `select version()`, for the report header. */
  version: string;
  /** Runs raw SQL with positional parameters on the driver underneath (EXPLAIN, bulk seeding). */
  raw<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** A second Drizzle handle on the same connection(s) that reports every query it sends. */
  capturing(onQuery: (query: string, params: unknown[]) => void): Db;
};

function adminUrl(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/**
 * A fresh, migrated database: on Postgres (DATABASE_URL) a throwaway `bench_<pid>` created
 * here and dropped by close(); otherwise an in-memory PGlite.
 */
export async function openBenchDatabase(url: string | undefined): Promise<BenchDatabase> {
  let database: Database;
  let dropAfter: (() => Promise<void>) | undefined;
  if (url) {
    const name = `bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`drop database if exists ${name}`);
      await admin.query(`create database ${name}`);
    } finally {
      await admin.end();
    }
    database = await openDatabase({ kind: 'postgres', url: adminUrl(url, name) });
    dropAfter = async () => {
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`).finally(() => dropper.end());
    };
  } else {
    database = await openDatabase({ kind: 'pglite' });
  }
  await database.migrate();
  // Drizzle keeps the driver it was built on: a pg Pool or a PGlite instance.
  const client = (database.db as unknown as { $client: unknown }).$client;
  const raw = async <T>(text: string, params: unknown[] = []): Promise<T[]> => {
    const result = await (client as { query(t: string, p: unknown[]): Promise<{ rows: unknown[] }> }).query(text, params);
    return result.rows as T[];
  };
  const [row] = await raw<{ version: string }>('select version() as version');
  return {
    ...database,
    version: (row?.version ?? 'unknown').split(/ on | \(/)[0] ?? 'unknown',
    raw,
    capturing(onQuery) {
      const logger = { logQuery: (query: string, params: unknown[]) => onQuery(query, params) };
      const options = { schema, casing: 'snake_case' as const, logger };
      return (database.kind === 'postgres'
        ? drizzlePg(client as pg.Pool, options)
        : drizzlePglite(client as PGlite, options)) as unknown as Db;
    },
    async close() {
      await database.close();
      await dropAfter?.();
    },
  };
}
