import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/sandbox/emulator/server.ts';
import { type BotProcess, botEnv, createProcessDatabase, type ProcessDatabase, startBotProcess } from '../support/bot-process.ts';
import { applicationBody } from '../support/fixtures.ts';
import { ADMIN_API_TOKEN, INTAKE_TOKEN, startTestEmulator } from '../support/harness.ts';
import { rowsOf } from '../support/invariants.ts';
import { freePort } from '../support/ports.ts';
import { channelByApplication, waitFor } from '../support/slack-observer.ts';

/** Well inside Slack's 3 s ack limit, with room for a CI machine whose 2 cores run other suites at once. */
const RESPONSIVE_MS = 2_500;

/**
 * `npm run remind` on PGlite goes through POST /api/reminders/sweep, which waits for the claimed
 * reminders to reach Slack. Slack may hold one back for a while (Retry-After), and meanwhile the
 * bot must keep serving everyone else and leave the database alone.
 */
const RETRY_AFTER_S = 20;
/** A bot with nothing to do but wait polls the outbox every OUTBOX_POLL_MS (200 ms here): a few transactions a second. */
const IDLE_TRANSACTIONS_PER_SECOND = 100;

let emulator: RunningEmulator;
let database: ProcessDatabase;
let bot: BotProcess | undefined;

beforeAll(async () => {
  emulator = await startTestEmulator();
  database = await createProcessDatabase();
});
afterAll(async () => {
  await bot?.kill('SIGKILL');
  await emulator?.close();
  await database?.close();
});

/** Statuses moved this far back while the bot is down: the sweep at the bot's now has a stale reminder to claim. */
const AGE = sql`update applications set status_since = status_since - interval '30 days'`;
const post = (path: string, body: unknown, signal?: AbortSignal) =>
  fetch(`${bot?.baseUrl}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${path.startsWith('/api/reminders') ? ADMIN_API_TOKEN : INTAKE_TOKEN}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });

/** While a sweep waits: the bot still answers, and (on Postgres, where it can be counted) leaves the database alone. */
async function expectCalmWhileWaiting(env: Record<string, string>, label: string) {
  // Probed a few times over a second and a half: the wait may begin a moment after the sweep was sent.
  let slowest = 0;
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    const ok = await fetch(`${bot?.baseUrl}/healthz`, { signal: AbortSignal.timeout(3_000) }).then(
      (res) => res.ok,
      () => false,
    );
    slowest = Math.max(slowest, ok ? performance.now() - started : Number.POSITIVE_INFINITY);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  expect(slowest, `slowest GET /healthz (ms) while a sweep waits ${label}`).toBeLessThan(RESPONSIVE_MS);
  if (database.kind !== 'postgres') return;
  const name = new URL(env.DATABASE_URL ?? '').pathname.slice(1);
  const commits = () =>
    database.inspect(async (db) => {
      const [row] = await rowsOf(db, sql`select xact_commit::bigint as n from pg_stat_database where datname = ${name}`);
      return Number(row?.n);
    });
  const before = await commits();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const perSecond = (await commits()) - before;
  console.log(`[fault] a sweep waiting ${label}: ${perSecond} transactions in one second`);
  expect(perSecond, `transactions per second while a sweep waits ${label}`).toBeLessThan(IDLE_TRANSACTIONS_PER_SECOND);
}

describe('a reminder sweep (npm run remind through the bot) that has to wait', () => {
  it("keeps the bot answering and off the database, behind a rate limit and behind a dead process's lease", {
    timeout: 90_000,
  }, async () => {
    const env = botEnv({ port: await freePort(), slackApiUrl: emulator.apiUrl, database });
    bot = await startBotProcess(env);
    const body = applicationBody();
    const id = ((await (await post('/api/applications', body)).json()) as { id: number }).id;
    await waitFor(() => channelByApplication(emulator).cards.has(id), 'the card');
    await bot.kill('SIGTERM');
    await database.inspect((db) => db.execute(AGE));
    bot = await startBotProcess(env);

    // The card's next update is rate limited: its thread line and the reminder wait behind it.
    emulator.state.faults.push({ method: 'chat.update', fault: { status: 429, retryAfter: RETRY_AFTER_S } });
    expect((await post('/api/applications', { ...body, useCase: `${body.useCase} Updated.` })).status).toBe(200);
    await waitFor(() => emulator.state.calls.some((c) => c.status === 429), 'the rate-limited update');
    const first = post('/api/reminders/sweep', {}, AbortSignal.timeout(5_000)).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expectCalmWhileWaiting(env, 'behind Retry-After');
    await first;

    // A process killed mid-delivery leaves its lease for a minute; the restarted bot is asked to sweep at once.
    await bot.kill('SIGKILL');
    await database.inspect(async (db) => {
      await db.execute(sql`update outbox set done_at = now() where done_at is null`);
      await db.execute(sql`insert into outbox (kind, application_id, payload, created_at, available_at, attempts, locked_until)
        values ('card.sync', ${id}, '{}', now(), now(), 1, now() + interval '60 seconds')`);
      await db.execute(AGE);
    });
    bot = await startBotProcess(env);
    const second = post('/api/reminders/sweep', {}, AbortSignal.timeout(5_000));
    void second.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expectCalmWhileWaiting(env, "behind a dead process's lease");
  });
});
