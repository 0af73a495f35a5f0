import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { FakeClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createWebhookRelay, type WebhookRelay } from '../../src/jobs/webhooks.ts';
import { createLogger } from '../../src/logger.ts';
import { sweepReminders } from '../../src/reminders/sweep.ts';
import type { RunningEmulator } from '../../src/sandbox/emulator/server.ts';
import { createTestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { CHANNEL, startTestEmulator, USERS } from '../support/harness.ts';
import { type Instance, startInstance, startWebhookReceiver } from '../support/instances.ts';
import { halfWritten, rowsOf } from '../support/invariants.ts';
import { postgresUrl } from '../support/outage.ts';
import { ALL_PASS, input, values } from '../support/reviewer.ts';
import { channelByApplication, waitFor } from '../support/slack-observer.ts';

const clock = new FakeClock('2026-03-02T10:00:00Z');
const policy = loadConfig({}).policy;
/** Sweeps "as if" 30 days on (every open application is stale then), and at 10:00 UTC (the digest is due). */
const SWEEP_AT = '2026-04-01T10:00:00Z';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fixed pseudo-random sequence, so the interleaving replays the same way on failure. */
function seeded(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

async function scenario(label: string, databases: [Database, Database]) {
  const emulator: RunningEmulator = await startTestEmulator();
  cleanups.push(() => emulator.close());
  const instances: Instance[] = [];
  for (const [i, database] of databases.entries()) {
    const instance = await startInstance(`bot-${i}`, { database, emulator, clock });
    cleanups.push(() => instance.stop());
    instances.push(instance);
  }
  const [a, b] = instances as [Instance, Instance];
  const random = seeded(7);
  const any = () => (random() < 0.5 ? a : b);
  const receiver = await startWebhookReceiver();
  cleanups.push(() => receiver.close());
  const relays: WebhookRelay[] = databases.map((d) =>
    createWebhookRelay({
      db: d.db,
      clock,
      logger: createLogger('silent'),
      url: receiver.url,
      secret: 'webhook-secret-0123456789',
    }),
  );
  // Settled means nothing left undone, not "nothing this pass could take": an effect leased by
  // a pass still running in the background (a kick's), or queued behind one, is not due to us.
  const drainAll = async () => {
    for (let i = 0; i < 50; i += 1) {
      await Promise.all([...instances.map((n) => n.app.dispatcher.drain()), ...relays.map((r) => r.drain())]);
      const [left] = await rowsOf(
        databases[0].db,
        sql`select (select count(*) from outbox where done_at is null)::int as effects,
          (select count(*) from events where id > coalesce((select last_event_id from webhook_state), 0))::int as hooks`,
      );
      if (Number(left?.effects) === 0 && Number(left?.hooks) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the two instances did not settle');
  };
  // What each instance's scheduler does on its tick (src/jobs/scheduler.ts): sweep, then deliver.
  const sweep = async (database: Database, i: number) => {
    await sweepReminders({ db: database.db, policy, clock }, new Date(SWEEP_AT));
    await instances[i]?.app.dispatcher.drain();
  };
  const cardTs = (id: number) => channelByApplication(emulator).cards.get(id)?.[0]?.ts ?? '';

  // Before the load: applications, some posted to both instances at once (a retried intake).
  const ids: number[] = [];
  for (let i = 0; i < 8; i += 1) ids.push((await any().post('/api/applications', applicationBody())).json.id);
  for (let i = 0; i < 4; i += 1) {
    const body = applicationBody();
    const both = await Promise.all([a.post('/api/applications', body), b.post('/api/applications', body)]);
    expect(new Set(both.map((x) => x.json.id)).size, 'one profile posted twice is one application').toBe(1);
    ids.push(both[0].json.id);
  }
  await drainAll();
  const reviewed = ids.slice(0, 6);
  const views: string[] = [];
  for (const id of reviewed) {
    const count = emulator.state.views.size;
    const action = { actionId: 'card.business_review', blockId: 'card.actions', value: `${id}:1` };
    await a.slack.messageAction({ user: USERS.reviewer, channel: CHANNEL, ts: cardTs(id), action });
    await waitFor(() => emulator.state.views.size > count, 'a modal');
    views.push([...emulator.state.views.values()].at(-1)?.id ?? '');
  }

  let loading = true;
  const relaying = (async () => {
    while (loading) {
      await Promise.all(relays.map((r) => r.drain()));
      // PGlite answers without going through the event loop: a loop of queries alone would starve the HTTP servers.
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  })();
  const advance = values({ ...ALL_PASS, decision: input.radio('advance') });
  await Promise.all([
    ...Array.from({ length: 16 }, () => any().post('/api/applications', applicationBody())),
    // The same view submitted to both instances at once, as a Slack retry landing elsewhere would be.
    ...views.flatMap((viewId) => instances.map((n) => n.slack.viewSubmission({ user: USERS.reviewer, viewId, values: advance }))),
    // One claim clicked at once on both instances, by two reviewers.
    ...ids.slice(6).flatMap((id) =>
      [a, b].map((n, i) =>
        n.slack.messageAction({
          user: i === 0 ? USERS.reviewer : USERS.reviewer2,
          channel: CHANNEL,
          ts: cardTs(id),
          action: { actionId: 'card.claim', blockId: 'card.actions', value: `${id}:1` },
        }),
      ),
    ),
    ...Array.from({ length: 3 }, () => databases.map(sweep)).flat(),
  ]);
  await Promise.all(databases.map(sweep));
  loading = false;
  await relaying;
  await drainAll();

  const db = databases[0].db;
  expect(await halfWritten(db)).toEqual([]);
  const apps = await rowsOf(db, sql`select id from applications order by id`);
  const events = await rowsOf(db, sql`select id, application_id as app, type from events order by id`);
  const reminders = await rowsOf(db, sql`select key, kind, application_id as app from reminders`);
  const seen = channelByApplication(emulator);
  const dup = { cards: 0, lines: 0, reminders: 0 };
  for (const app of apps) {
    const id = Number(app.id);
    const thread = seen.threads.get(id) ?? [];
    const reminded = thread.filter((t) => t.startsWith(':alarm_clock:')).length;
    const lines = events.filter((e) => Number(e.app) === id && e.type !== 'application.received').length;
    dup.cards += (seen.cards.get(id)?.length ?? 0) - 1;
    dup.lines += thread.length - reminded - lines;
    dup.reminders += reminded - reminders.filter((r) => Number(r.app) === id).length;
  }
  expect(dup, 'posts beyond one per card, event and reminder').toEqual({ cards: 0, lines: 0, reminders: 0 });
  expect(seen.cards.size).toBe(apps.length);
  expect(seen.others, 'one digest').toHaveLength(1);
  for (const id of reviewed)
    expect(events.filter((e) => Number(e.app) === id && e.type === 'business_review.passed')).toHaveLength(1);
  for (const id of ids.slice(6))
    expect(events.filter((e) => Number(e.app) === id && e.type === 'application.claimed')).toHaveLength(1);

  const delivered = receiver.bodies.map((body) => Number(JSON.parse(body).id));
  expect(delivered, 'every event relayed once, in order').toEqual(events.map((e) => Number(e.id)));
  console.log(
    `[fault] two instances (${label}): ${apps.length} applications, ${events.length} events, ${reminders.length} reminders, ` +
      `${delivered.length} webhooks; no duplicate card, line, reminder or webhook`,
  );
}

if (!postgresUrl()) console.log('[fault] skipped: two instances with their own connection pools need Postgres (DATABASE_URL)');

describe('two app instances on one database under load', () => {
  it.skipIf(!postgresUrl())('on Postgres, each with its own pool', { timeout: 90_000 }, async () => {
    const first = await createTestDatabase();
    cleanups.push(() => first.close());
    const second = await openDatabase({ kind: 'postgres', url: first.url ?? '' });
    cleanups.push(() => second.close());
    await scenario('postgres, two pools', [first, second]);
  });

  it.skipIf(Boolean(postgresUrl()))('on PGlite, sharing one Database object', { timeout: 90_000 }, async () => {
    const shared = await createTestDatabase();
    cleanups.push(() => shared.close());
    await scenario('pglite, one shared Database', [shared, shared]);
  });
});
