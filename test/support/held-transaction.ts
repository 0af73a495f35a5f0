import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { rowsOf } from './invariants.ts';

/**
 * Runs `work` in a transaction on `db` and keeps it open until `commit` is called: `ready`
 * resolves with what `work` answered once it has run, `committed` once the transaction ended.
 * For fault tests that race a use case against a change not yet committed.
 */
export function holding<T>(db: Db, work: (tx: Tx) => Promise<T>) {
  let commit: () => void = () => {};
  const mayCommit = new Promise<void>((resolve) => {
    commit = resolve;
  });
  let done: (value: T) => void = () => {};
  const ready = new Promise<T>((resolve) => {
    done = resolve;
  });
  const committed = db.transaction(async (tx) => {
    done(await work(tx));
    await mayCommit;
  });
  return { ready, commit, committed };
}

/** Resolves once `pending` settled, or some query of `db`'s database waits for a lock (a held transaction's). */
export async function untilWaiting(db: Db, pending: Promise<unknown>): Promise<void> {
  let settled = false;
  void pending.finally(() => {
    settled = true;
  });
  for (;;) {
    const [waiting] = await rowsOf(
      db,
      sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if (settled || Number(waiting?.n) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
