import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { type Db, migrationsFolder } from '../../db/client.ts';
import { resetDatabase } from '../../db/reset.ts';
import * as schema from '../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

/** A database the test can take away from the app and give back, without restarting the app. */
export type OutageDatabase = {
  database: TestDatabase;
  /** How the outage is made, for the printed summary. */
  how: string;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
};

/** The Postgres server the suite runs against, if any (PGlite otherwise). */
export function postgresUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

export async function createOutageDatabase(): Promise<OutageDatabase> {
  const url = postgresUrl();
  return url ? postgresOutage(url) : pgliteOutage();
}

/**
 * Postgres: the app's database refuses new connections and its open ones are terminated, as
 * when the server restarts; the app's pool must find its way back on its own.
 */
async function postgresOutage(url: string): Promise<OutageDatabase> {
  const database = await createTestDatabase();
  const name = new URL(database.url ?? '').pathname.slice(1);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  return {
    database,
    how: 'ALTER DATABASE … ALLOW_CONNECTIONS false + pg_terminate_backend',
    async down() {
      await admin.query(`alter database ${name} allow_connections false`);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [
        name,
      ]);
    },
    async up() {
      await admin.query(`alter database ${name} allow_connections true`);
    },
    async close() {
      await admin.query(`alter database ${name} allow_connections true`);
      await admin.end();
      await database.close();
    },
  };
}

const connectionLost = () =>
  Object.assign(new Error('terminating connection due to administrator command (injected)'), { code: '57P01' });

/**
 * PGlite lives in this process and cannot be stopped and started again, so the outage is made
 * in front of it: while down, every query (also inside a transaction already running) fails as
 * a dropped connection would, and PGlite rolls the transaction back.
 */
function faulty<T extends object>(client: T, isDown: () => boolean): T {
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (prop === 'query' || prop === 'exec') {
        return (...args: unknown[]) => (isDown() ? Promise.reject(connectionLost()) : value.apply(target, args));
      }
      if (prop === 'transaction') {
        return (fn: (tx: object) => Promise<unknown>) =>
          isDown() ? Promise.reject(connectionLost()) : value.call(target, (tx: object) => fn(faulty(tx, isDown)));
      }
      return value.bind(target);
    },
  });
}

async function pgliteOutage(): Promise<OutageDatabase> {
  let down = false;
  const client = new PGlite();
  const pglite = drizzle({ client: faulty(client, () => down), schema, casing: 'snake_case' });
  await migrate(pglite, { migrationsFolder });
  const db = pglite as unknown as Db;
  const database: TestDatabase = {
    kind: 'pglite',
    db,
    migrate: async () => {},
    ping: async () => {
      try {
        await db.execute(sql`select 1`);
        return true;
      } catch {
        return false;
      }
    },
    reset: () => resetDatabase(db),
    close: () => client.close(),
  };
  return {
    database,
    how: 'PGlite behind a driver that fails every query while down',
    async down() {
      down = true;
    },
    async up() {
      down = false;
    },
    close: () => client.close(),
  };
}
