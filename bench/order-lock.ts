/**
 * `DATABASE_URL=… npx tsx bench/order-lock.ts`: what the event order lock (recordChange's
 * transaction-level advisory lock, held until commit) costs by itself. Transactions of one
 * insert each, without and with the lock taken in the insert's statement, 1,000 per run,
 * three runs per concurrency, on a scratch table it drops again.
 */
import pg from 'pg';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL');
const pool = new pg.Pool({ connectionString: url, max: 20 });
await pool.query('create table if not exists lock_probe (id bigserial primary key, at timestamptz, body text)');
async function run(withLock: boolean, concurrency: number, total: number) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        const c = await pool.connect();
        try {
          await c.query('begin');
          if (withLock)
            await c.query(
              'with ordered as (select pg_advisory_xact_lock(7305199) as l) insert into lock_probe (at, body) select now(), $1 from ordered',
              ['x'],
            );
          else await c.query('insert into lock_probe (at, body) values (now(), $1)', ['x']);
          await c.query('commit');
        } finally {
          c.release();
        }
      }
    }),
  );
  return (total / (performance.now() - started)) * 1000;
}
for (const c of [1, 10, 50]) {
  const rows: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    const a = await run(false, c, 1000);
    const b = await run(true, c, 1000);
    rows.push(`${a.toFixed(0)}/${b.toFixed(0)}`);
  }
  console.log(`c=${c} tx/s without/with lock: ${rows.join('  ')}`);
}
await pool.query('drop table lock_probe');
await pool.end();
