import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { resetDatabase } from '../db/reset.ts';
import { outbox, reminders } from '../db/schema.ts';
import { systemClock } from '../src/clock.ts';
import { loadHomeModel } from '../src/dashboard/home.ts';
import { openQueue } from '../src/dashboard/queue.ts';
import { sweepReminders } from '../src/reminders/sweep.ts';
import { lookupStatus } from '../src/reviews/status.ts';
import { personaRoles } from '../src/sandbox/personas.ts';
import { homeView } from '../views/home.ts';
import { queueView } from '../views/queue.ts';
import { statusView } from '../views/status.ts';
import { benchPolicy } from './bot.ts';
import type { BenchDatabase } from './database.ts';
import { type CapturedQuery, explainAll, type Plan } from './explain.ts';
import type { RssSampler } from './memory.ts';
import { seedApplications, spread } from './seed.ts';
import { type Summary, summarize, timeRuns } from './stats.ts';

export const READS = ['/pii queue', '/pii status <id>', 'App Home build'] as const;
export type Read = (typeof READS)[number];
export type SizeResult = {
  size: number;
  seedMs: number;
  spread: Record<string, number>;
  reads: Record<Read, Summary>;
  sweepDry: Summary;
  sweepReal: Summary;
  due: number;
  claimed: number;
  plans: Plan[];
};

const REVIEWER = 'U0REVIEW01';

/** The operations measured, each exactly as its listener runs it: the query and the Block Kit it builds. */
function operations(db: Db, size: number, now: Date) {
  const policy = benchPolicy();
  const deps = { db, policy, roles: personaRoles(), clock: systemClock };
  let next = 0;
  return {
    '/pii queue': async () => queueView(await openQueue(deps, { stage: null, offset: 0 }), now),
    '/pii status <id>': async () => {
      next += 1;
      const id = 1 + ((next * 7_919) % size);
      const found = await lookupStatus(deps, String(id));
      if (found.kind !== 'found') throw new Error(`status ${id}: ${found.kind}`);
      return statusView(found.application, found.history, now);
    },
    'App Home build': async () => homeView(await loadHomeModel(deps, REVIEWER, now)),
    sweep: (dryRun: boolean) => sweepReminders(deps, now, { dryRun }),
  } as const;
}

/** A real sweep claims and queues; undoing its rows puts the database back for the next run. */
async function undoSweep(db: Db, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.delete(outbox).where(inArray(sql`${outbox.payload}->>'key'`, keys));
  await db.delete(reminders).where(inArray(reminders.key, keys));
}

async function measure(database: BenchDatabase, size: number, now: Date, runs: number): Promise<Omit<SizeResult, 'seedMs'>> {
  const ops = operations(database.db, size, now);
  const reads = {} as Record<Read, Summary>;
  for (const read of READS) reads[read] = summarize(await timeRuns(runs, ops[read]));
  const sweepDry = summarize(await timeRuns(10, () => ops.sweep(true), 1));
  const real: number[] = [];
  let due = 0;
  let claimed = 0;
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    const result = await ops.sweep(false);
    real.push(performance.now() - started);
    due = result.due.length;
    claimed = result.claimed.length;
    await undoSweep(
      database.db,
      result.claimed.map((r) => r.key),
    );
  }
  const captured: CapturedQuery[] = [];
  let op = '';
  const capturing = operations(
    database.capturing((query, params) => captured.push({ op, sql: query, params })),
    size,
    now,
  );
  for (const name of [...READS, 'reminder sweep'] as const) {
    op = name;
    await (name === 'reminder sweep' ? capturing.sweep(true) : capturing[name]());
  }
  return {
    size,
    spread: await spread(database),
    reads,
    sweepDry,
    sweepReal: summarize(real),
    due,
    claimed,
    plans: await explainAll(database, captured),
  };
}

/** Seeds 10k then 100k applications (10 events each) and measures the reads and the sweep at each size. */
export async function growthPhase(args: {
  database: BenchDatabase;
  sizes: number[];
  runs: number;
  memory: RssSampler;
}): Promise<SizeResult[]> {
  const { database } = args;
  await resetDatabase(database.db);
  const now = new Date();
  const results: SizeResult[] = [];
  let seeded = 0;
  for (const size of args.sizes) {
    args.memory.phase(`growth: seed ${size.toLocaleString('en')}`);
    const started = performance.now();
    await seedApplications(database, seeded + 1, size, now);
    const seedMs = performance.now() - started;
    seeded = size;
    args.memory.phase(`growth: measure ${size.toLocaleString('en')}`);
    results.push({ seedMs, ...(await measure(database, size, now, args.runs)) });
  }
  return results;
}
