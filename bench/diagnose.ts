import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '../db/client.ts';
import type { BenchDatabase } from './database.ts';
import { percentile, timeRuns } from './stats.ts';

/** The bench database seen through a Drizzle handle that counts every query the app sends. */
export function countingDatabase(database: BenchDatabase): { database: Database; count(): number } {
  let queries = 0;
  const db = database.capturing(() => {
    queries += 1;
  });
  return { database: { ...database, db }, count: () => queries };
}

/** Median time of `select 1` from this process: the floor under every query the app sends. */
export async function roundTripMs(database: BenchDatabase): Promise<number> {
  return percentile(await timeRuns(200, () => database.raw('select 1'), 10), 50);
}

/** On Postgres, the most requests that waited for a pooled connection at once (pg Pool `waitingCount`). */
export function poolWatcher(database: BenchDatabase, everyMs = 5) {
  const pool = (database.db as unknown as { $client: { waitingCount?: number; totalCount?: number } }).$client;
  if (database.kind !== 'postgres' || typeof pool.waitingCount !== 'number') return undefined;
  let maxWaiting = 0;
  let timer: NodeJS.Timeout | undefined;
  return {
    start(): void {
      maxWaiting = 0;
      timer = setInterval(() => {
        maxWaiting = Math.max(maxWaiting, pool.waitingCount ?? 0);
      }, everyMs);
    },
    stop(): number {
      if (timer) clearInterval(timer);
      return maxWaiting;
    },
  };
}

/** Waits until every queued Slack effect is done, reading the outbox without going through the counted handle. */
export async function outboxIdle(database: BenchDatabase, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await database.raw<{ n: number }>('select count(*)::int as n from outbox where done_at is null');
    if (Number(row?.n ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error('outbox did not drain');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Notes the query count at the moment the bot writes its answer to a Slack or intake request
 * (the ack), so queries made after the ack (outbox, modal) are not mistaken for ones before it.
 */
export function ackMarker(count: () => number) {
  let atAck = Number.NaN;
  const onStart = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    if (!/^\/(slack\/events|api\/applications)/.test(request.url ?? '')) return;
    const end = response.end;
    response.end = function (this: ServerResponse, ...args: unknown[]) {
      atAck = count();
      return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse['end'];
  };
  diagnostics.subscribe('http.server.request.start', onStart);
  return {
    atAck: () => atAck,
    stop: () => diagnostics.unsubscribe('http.server.request.start', onStart),
  };
}
