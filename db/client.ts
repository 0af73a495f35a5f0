import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { lockDataDirectory } from './dir-lock.ts';
import * as schema from './schema.ts';

/** The one database type the rest of the code sees, whether pg or PGlite is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle: same query API as Db. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

/** `poolSize`: the pool's connections (DATABASE_POOL_SIZE, 20 by default); a session of its own comes on top (openSession). */
export type DatabaseTarget = { kind: 'postgres'; url: string; poolSize?: number } | { kind: 'pglite'; dataDir?: string };

export type Database = {
  readonly kind: DatabaseTarget['kind'];
  readonly db: Db;
  migrate(): Promise<void>;
  /** Answers whether the database takes queries now (for /readyz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /** Connections of the pool now (metrics): PGlite is one connection that queues its queries itself. */
  poolStats?(): PoolStats;
  /**
   * Postgres only: a connection of its own, outside the pool, held as long as the caller likes.
   * A session-level advisory lock lives on one connection; a pooled one would be handed to
   * other queries and may be closed by the pool while idle. (PGlite is one session already.)
   */
  openSession?(): Promise<Session>;
};

export type PoolStats = { max: number; total: number; idle: number; waiting: number };

/** A dedicated database connection (see Database.openSession). */
export type Session = {
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Called once when the connection is gone (server restart, terminated backend, network). */
  onLost(listener: () => void): void;
  close(): Promise<void>;
};

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Any stable number: the advisory lock that serialises migrations across instances. */
const MIGRATION_LOCK_KEY = 7_305_112;

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'postgres' ? openPostgres(target.url, target.poolSize) : openPglite(target.dataDir);
}

type ConnectCallback = (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void;

/**
 * A pool whose checked-out clients go back by themselves when their connection dies. Drizzle
 * sends `begin` before its try/finally, so a connection lost between checkout and `begin`
 * (server restart, failover, pg_terminate_backend) is never released: each such loss would
 * keep one of the pool's slots forever, until every query waits and `pool.end()` hangs.
 */
class SelfReleasingPool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | undefined {
    // The callback form is the pool's own (pool.query), which always releases.
    if (callback) {
      super.connect(callback);
      return undefined;
    }
    return super.connect().then(releasedWhenLost);
  }
}

function releasedWhenLost(client: pg.PoolClient): pg.PoolClient {
  const release = client.release;
  let released = false;
  const lost = () => done(new Error('connection lost while checked out'));
  const done = (error?: Error | boolean) => {
    if (released) return; // the holder's own release, after the pool already has the client back
    released = true;
    client.removeListener('end', lost);
    release(error);
  };
  client.once('end', lost);
  client.release = done;
  return client;
}

/** The Postgres pool the app runs on; exported for the tests that take its connections away. */
export function createPool(url: string, max = 20): pg.Pool {
  const pool = new SelfReleasingPool({ connectionString: url, max, connectionTimeoutMillis: 5_000 });
  // A connection lost to a server restart or failover must not crash the process: idle clients
  // report on the pool, checked-out ones on themselves; the query in flight fails and is told.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

async function openPostgres(url: string, poolSize?: number): Promise<Database> {
  const pool = createPool(url, poolSize);
  const db = drizzlePg(pool, { schema, casing: 'snake_case' }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    async migrate() {
      const client = await pool.connect();
      try {
        // Instances starting together take turns; the later ones find nothing left to do.
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
        client.release();
      }
    },
    ping: () => ping(db),
    close: () => pool.end(),
    poolStats: () => ({ max: pool.options.max ?? 10, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    openSession: () => openSession(url),
  };
}

async function openSession(url: string): Promise<Session> {
  // keepAlive: a peer that vanished without closing (a host lost, not a process) is noticed by
  // the server in minutes rather than hours, so what hangs on this session is let go.
  const client = new pg.Client({ connectionString: url, keepAlive: true, connectionTimeoutMillis: 5_000 });
  const listeners: (() => void)[] = [];
  let lost = false;
  const onGone = () => {
    if (lost) return;
    lost = true;
    for (const listener of listeners.splice(0)) listener();
  };
  // An unhandled 'error' on a client would crash the process: a dropped session is reported instead.
  client.on('error', onGone);
  client.on('end', onGone);
  await client.connect();
  return {
    async query(text, params) {
      return (await client.query(text, params)).rows as Record<string, unknown>[];
    },
    onLost(listener) {
      if (lost) listener();
      else listeners.push(listener);
    },
    async close() {
      listeners.length = 0;
      await client.end().catch(() => {});
    },
  };
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  // Loaded only when used: PGlite's WebAssembly build is most of a restart's module loading on
  // Postgres, and a restart's length is how long a crashed instance's work waits.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  // One process at a time: PGlite takes no lock of its own, and a second one migrating the live
  // directory fails obscurely (PGlite's Aborted()) or damages it. Fails at once, naming the holder.
  const unlock = dataDir === undefined ? () => {} : lockDataDirectory(dataDir);
  let client: InstanceType<typeof PGlite>;
  try {
    client = dataDir === undefined ? new PGlite() : new PGlite(dataDir);
  } catch (error) {
    unlock();
    throw error;
  }
  const pgliteDb = drizzlePglite(client, { schema, casing: 'snake_case' });
  const db = pgliteDb as unknown as Db;
  return {
    kind: 'pglite',
    db,
    migrate: () => migratePglite(pgliteDb, { migrationsFolder }),
    ping: () => ping(db),
    close: async () => {
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
    poolStats: () => ({ max: 1, total: client.closed ? 0 : 1, idle: 0, waiting: 0 }),
  };
}

async function ping(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}

/** The driver's error under a failed query (drizzle wraps driver errors in `cause`). */
function pgErrorOf(error: unknown): { code: string; constraint?: unknown } | undefined {
  for (let e: unknown = error; e instanceof Error || (typeof e === 'object' && e !== null); ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return e as { code: string; constraint?: unknown };
    e = (e as { cause?: unknown }).cause;
    if (e === undefined) break;
  }
  return undefined;
}

/** Postgres error code of a failed query. */
export function pgErrorCode(error: unknown): string | undefined {
  return pgErrorOf(error)?.code;
}

/** Whether a query failed on a unique index, and on this one. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const found = pgErrorOf(error);
  return found?.code === '23505' && found.constraint === constraint;
}
