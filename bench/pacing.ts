import { and, isNotNull, isNull, sql } from 'drizzle-orm';
import { applications, outbox, reminders } from '../db/schema.ts';
import { reminderText } from '../views/reminders.ts';
import { type LogSink, startRealBot } from './bot.ts';
import type { BenchDatabase } from './database.ts';
import type { FaultRates, PacingCheck, SlackSide } from './slack-types.ts';

export type PacingResult = {
  updates: number;
  reminders: number;
  cards: number;
  postIntervalMs: number;
  faults: FaultRates;
  drainMs: number;
  drained: boolean;
  /** Failed deliveries the outbox retried (its attempts beyond the first). */
  outboxRetries: number;
  check: PacingCheck;
};

const REVIEWER = 'U0REVIEW01';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function undone(database: BenchDatabase): Promise<number> {
  const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(isNull(outbox.doneAt));
  return Number(row?.n ?? 0);
}

/**
 * Card updates and thread reminders queued at once while Slack answers some calls 429 or 500:
 * how long the outbox takes to drain, how often it retried, and whether each effect arrived once.
 */
export async function pacingPhase(args: {
  slack: SlackSide;
  apiUrl: string;
  database: BenchDatabase;
  logs: LogSink;
  updates: number;
  reminders: number;
  postIntervalMs: number;
  faults: FaultRates;
  timeoutMs: number;
}): Promise<PacingResult> {
  const { slack, database } = args;
  const cards = await database.db
    .select({ id: applications.id, ts: applications.cardTs })
    .from(applications)
    .where(and(isNotNull(applications.cardTs), isNotNull(applications.cardChannel)))
    .orderBy(applications.id);
  if (cards.length === 0) throw new Error('no application has a card to update');
  if ((await undone(database)) > 0) throw new Error('the outbox is not empty before the pacing run');

  const now = new Date();
  const expectedUpdates: Record<string, number> = {};
  const expectedThread: string[] = [];
  const reminderRows: (typeof reminders.$inferInsert)[] = [];
  const outboxRows: (typeof outbox.$inferInsert)[] = [];
  for (let i = 0; i < Math.max(args.updates, args.reminders); i += 1) {
    if (i < args.updates) {
      const card = cards[i % cards.length] as (typeof cards)[number];
      expectedUpdates[String(card.ts)] = (expectedUpdates[String(card.ts)] ?? 0) + 1;
      outboxRows.push({ kind: 'card.sync', applicationId: card.id, payload: {}, createdAt: now, availableAt: now });
    }
    if (i < args.reminders) {
      const card = cards[(i * 7 + 3) % cards.length] as (typeof cards)[number];
      const key = `bench:pacing:${i}`;
      const data = { businessDays: 1000 + i, assigneeId: REVIEWER };
      reminderRows.push({ key, applicationId: card.id, kind: 'stale', dueAt: now, claimedAt: now, data });
      outboxRows.push({ kind: 'thread.reminder', applicationId: card.id, payload: { key }, createdAt: now, availableAt: now });
      expectedThread.push(`${card.ts}|${reminderText('stale', data)}`);
    }
  }

  const bot = await startRealBot({
    database,
    apiUrl: args.apiUrl,
    logs: args.logs,
    postIntervalMs: args.postIntervalMs,
    outboxPollMs: 100,
  });
  try {
    const since = await slack.mark();
    await slack.faults(args.faults);
    await database.db.transaction(async (tx) => {
      for (let i = 0; i < reminderRows.length; i += 500) await tx.insert(reminders).values(reminderRows.slice(i, i + 500));
      for (let i = 0; i < outboxRows.length; i += 500) await tx.insert(outbox).values(outboxRows.slice(i, i + 500));
    });
    const started = performance.now();
    bot.dispatcher.kick();
    let drained = false;
    while (performance.now() - started < args.timeoutMs) {
      if ((await undone(database)) === 0) {
        drained = true;
        break;
      }
      await sleep(100);
    }
    const drainMs = performance.now() - started;
    await slack.faults({ rateLimited: 0, serverError: 0, retryAfter: 1 });
    const [attempts] = await database.db
      .select({ retries: sql<number>`coalesce(sum(${outbox.attempts} - 1), 0)::int` })
      .from(outbox)
      .where(sql`${outbox.kind} in ('card.sync', 'thread.reminder') and ${outbox.createdAt} = ${now.toISOString()}::timestamptz`);
    return {
      updates: args.updates,
      reminders: args.reminders,
      cards: cards.length,
      postIntervalMs: args.postIntervalMs,
      faults: args.faults,
      drainMs,
      drained,
      outboxRetries: Number(attempts?.retries ?? 0),
      check: await slack.pacing({ since, expectedThread, expectedUpdates }),
    };
  } finally {
    await bot.stop();
  }
}
