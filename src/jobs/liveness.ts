import { randomInt } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { Database, Session } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import type { Logger } from '../logger.ts';

/**
 * Any stable number: the class of the session-level advisory locks that mark live instances.
 * Each instance locks (class, its key) for its whole life; the server lets the lock go the
 * moment the session ends, kill -9 included, so the instance's leases are free at once.
 */
export const LIVENESS_LOCK_CLASS = 7_305_113;
/** Waits between attempts to win the marker back after its connection was lost. */
const RECONNECT_MS = [250, 1_000, 2_000, 5_000];

export type Liveness = {
  /** This instance's key while it holds its marker; undefined while it does not (its leases then end by time only). */
  current(): number | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * True for a leased row that nobody holds: never leased, lease run out, or leased by an
 * instance whose marker is gone (dead, or cut off from the database).
 */
export function leaseEnded(lease: { lockedUntil: SQL; lockedBy: SQL }, now: string): SQL {
  // A lease taken while its instance had no marker (locked_by null) runs by time only: `not in`
  // an empty set is true even for null, and every marker is gone at once after a server restart.
  return sql`(${lease.lockedUntil} is null or ${lease.lockedUntil} < ${now}::timestamptz
    or ${lease.lockedBy} is not null and ${lease.lockedBy} not in (
      select l.objid::bigint from pg_locks l
      where l.locktype = 'advisory' and l.classid = ${sql.raw(String(LIVENESS_LOCK_CLASS))} and l.objsubid = 2 and l.granted
        and l.database = (select d.oid from pg_database d where d.datname = current_database())))`;
}

/**
 * The marker of this instance. On Postgres it lives on a connection of its own (a pooled one
 * would be shared and recycled) and is won back, under the same key, when that connection is
 * lost. On PGlite there is one session for the one process: a restart frees everything.
 */
export function createLiveness(deps: { database: Database; logger: Logger }): Liveness {
  let key = randomInt(1, 2 ** 31 - 1);
  let held = false;
  let stopped = true;
  let session: Session | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;

  const lockSql = 'select pg_try_advisory_lock($1::int, $2::int) as ok';

  async function lockOn(query: (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>): Promise<void> {
    for (let tries = 0; tries < 5; tries += 1) {
      const [row] = await query(lockSql, [LIVENESS_LOCK_CLASS, key]);
      if (row?.ok === true) return;
      // Another live instance drew the same key: draw again.
      key = randomInt(1, 2 ** 31 - 1);
    }
    throw new Error('could not take a liveness key');
  }

  async function take(): Promise<void> {
    const { database } = deps;
    if (!database.openSession) {
      await lockOn(async (_text, params) =>
        rowsOf(await database.db.execute(sql`select pg_try_advisory_lock(${params[0]}::int, ${params[1]}::int) as ok`)),
      );
      held = true;
      return;
    }
    const opened = await database.openSession();
    try {
      await lockOn((text, params) => opened.query(text, params));
    } catch (error) {
      await opened.close();
      throw error;
    }
    session = opened;
    held = true;
    opened.onLost(() => {
      if (session !== opened) return;
      session = undefined;
      held = false;
      if (stopped) return;
      deps.logger.warn({ key }, 'lost the liveness marker with its connection: leases run by time until it is back');
      retrySoon();
    });
  }

  function retrySoon(): void {
    if (stopped || timer) return;
    const delay = RECONNECT_MS[Math.min(failures, RECONNECT_MS.length - 1)] as number;
    timer = setTimeout(() => {
      timer = undefined;
      take().then(
        () => {
          failures = 0;
          deps.logger.info({ key }, 'liveness marker held again');
        },
        (error: unknown) => {
          failures += 1;
          deps.logger.warn({ err: error }, 'cannot take the liveness marker yet; will retry');
          retrySoon();
        },
      );
    }, delay);
    timer.unref();
  }

  return {
    current: () => (held ? key : undefined),
    async start() {
      stopped = false;
      try {
        await take();
      } catch (error) {
        deps.logger.warn({ err: error }, 'cannot take the liveness marker; will retry');
        retrySoon();
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      const wasHeld = held;
      held = false;
      if (session) {
        const closing = session;
        session = undefined;
        // Ending the session lets the lock go with it.
        await closing.close();
      } else if (wasHeld) {
        await deps.database.db
          .execute(sql`select pg_advisory_unlock(${LIVENESS_LOCK_CLASS}::int, ${key}::int)`)
          .catch(() => undefined);
      }
    },
  };
}
