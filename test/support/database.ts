import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../../db/client.ts';
import { resetDatabase } from '../../db/reset.ts';

/**
 * One template per checkout: two clones testing on the same server at once (CI beside a
 * developer's run, two worktrees) must not drop each other's template mid-run.
 */
export const TEMPLATE_DATABASE = `pii_review_test_template_${createHash('sha256').update(process.cwd()).digest('hex').slice(0, 10)}`;

export type TestDatabase = Database & {
  /** Empties every table: call in beforeEach so tests never see each other's rows. */
  reset(): Promise<void>;
  /** The connection string, on Postgres (for a second app instance or a child process). */
  url?: string;
};

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/**
 * One database per test file: a copy of the migrated template on Postgres when DATABASE_URL
 * is set (as in CI), else an in-memory PGlite with the real migrations applied.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await openDatabase({ kind: 'pglite' });
    await database.migrate();
    return { ...database, reset: () => resetDatabase(database.db) };
  }
  const name = `pii_review_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const fileUrl = withDatabase(url, name);
  const database = await openDatabase({ kind: 'postgres', url: fileUrl });
  return {
    ...database,
    url: fileUrl,
    reset: () => resetDatabase(database.db),
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`).finally(() => dropper.end());
    },
  };
}
