import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf as resultRows } from '../../db/rows.ts';
import { FakeClock } from '../../src/clock.ts';
import { createWebhookRelay } from '../../src/jobs/webhooks.ts';
import { createLogger } from '../../src/logger.ts';
import { recordChange } from '../../src/reviews/record.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { holding, untilWaiting } from '../support/held-transaction.ts';
import { startWebhookReceiver } from '../support/instances.ts';
import { postgresUrl } from '../support/outage.ts';
import { seedApplications } from '../support/seed.ts';

const clock = new FakeClock('2026-03-02T10:00:00Z');
let database: TestDatabase;
let second: TestDatabase | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await second?.close();
  await database?.close();
});

/**
 * The webhook relay sends events after its cursor, in id order, and waits at a hole in the ids
 * until every transaction that could fill it has ended (src/jobs/webhooks.ts). Ids are drawn when an event is
 * inserted, not when it commits: two use cases on two connections can commit out of id order,
 * and a relay that read in between moved its cursor past an event it had not seen yet. This
 * is what made the two-instances fault test miss a webhook now and then under load.
 */
describe('webhook relay and use cases committing out of id order', () => {
  it.skipIf(!postgresUrl())('relays an event whose transaction committed after a later one', async () => {
    const { openDatabase } = await import('../../db/client.ts');
    const other = await openDatabase({ kind: 'postgres', url: database.url ?? '' });
    second = { ...other, reset: async () => {} };
    const [a, b] = await seedApplications(database.db, clock.now(), [{}, {}]);
    const receiver = await startWebhookReceiver();
    const relay = relayTo(receiver.url);
    const event = (applicationId: number) => ({
      applicationId,
      type: 'application.claimed',
      actor: 'U1',
      at: clock.now(),
      payload: {},
    });

    // The first use case appends its event and stays open; the second runs meanwhile on another pool.
    const first = holding(database.db, (tx) => recordChange(tx, event(a?.id ?? 0), { thread: true }));
    await first.ready;
    const secondDone = other.db.transaction((tx) => recordChange(tx, event(b?.id ?? 0), { thread: true }));
    // The second use case either commits or waits for the first: go on only once it did one of them.
    await untilWaiting(database.db, secondDone);
    expect(await relay.drain(), 'nothing goes past a hole a transaction still holds open').toBe(0);
    expect(receiver.bodies).toEqual([]);
    first.commit();
    await Promise.all([first.committed, secondDone]);
    await drainUntil(relay, () => receiver.bodies.length >= 2);

    const sent = receiver.bodies.map((body) => Number(JSON.parse(body).id));
    const stored = await database.db.query.events.findMany({ orderBy: (e, { asc }) => [asc(e.id)] });
    expect(sent, 'every event relayed once, in id order').toEqual(stored.map((e) => e.id));
    await receiver.close();
  });

  it('skips the id of a use case that rolled back, once nothing can fill it any more', async () => {
    const [app] = await seedApplications(database.db, clock.now(), [{}]);
    const receiver = await startWebhookReceiver();
    const relay = relayTo(receiver.url);
    const event = (type: string) => ({ applicationId: app?.id ?? 0, type, actor: 'U1', at: clock.now(), payload: {} });
    while ((await relay.drain()) > 0);
    const before = receiver.bodies.length;

    // The first use case draws an id, then fails and rolls back: that id never appears.
    await database.db
      .transaction(async (tx) => {
        await recordChange(tx, event('application.claimed'), { thread: false });
        throw new Error('the use case failed after its event');
      })
      .catch(() => undefined);
    const kept = await database.db.transaction((tx) => recordChange(tx, event('application.assigned'), { thread: false }));

    await drainUntil(relay, () => receiver.bodies.length > before);
    const sent = receiver.bodies.slice(before).map((body) => JSON.parse(body) as { id: number; type: string });
    expect(sent, 'the event after the hole, once').toEqual([expect.objectContaining({ id: kept, type: 'application.assigned' })]);
    await receiver.close();
  });
});

/**
 * A hole's writer may commit between the relay's read of the events and the snapshot that
 * tells it the hole is settled. Judged from a snapshot taken after the read, the missing event
 * looked rolled back and was skipped for good: the metrics test saw two deliveries for three
 * events now and then. The snapshot that settles a watch is taken before the read.
 */
describe('webhook relay and a hole filled while it reads', () => {
  it.skipIf(!postgresUrl())('relays the event that filled a hole between its read and its snapshot', async () => {
    const [app] = await seedApplications(database.db, clock.now(), [{}]);
    const receiver = await startWebhookReceiver();
    const relay = (db: typeof database.db) => relayTo(receiver.url, db);
    while ((await relay(database.db).drain()) > 0);
    const before = receiver.bodies.length;
    const insert = (type: string) =>
      sql`insert into events (application_id, type, actor, at, payload)
          values (${app?.id ?? 0}, ${type}, 'U1', ${clock.now().toISOString()}, '{}'::jsonb) returning id`;

    // The first writer takes its xid, draws an id and stays open; a second one commits after it.
    const first = holding(database.db, async (tx) => {
      await tx.execute(sql`select pg_current_xact_id()`);
      const [row] = resultRows<{ id: string | number }>(await tx.execute(insert('application.claimed')));
      return Number(row?.id);
    });
    const held = await first.ready;
    const [row] = resultRows<{ id: string | number }>(await database.db.execute(insert('application.assigned')));
    const later = Number(row?.id);
    expect(later).toBeGreaterThan(held);

    expect(await relay(database.db).drain(), 'the hole is watched, nothing goes past it').toBe(0);

    // Next drain: the first writer commits just before the relay's next snapshot is taken.
    let armed = true;
    const hooked = new Proxy(database.db, {
      get(target, property, receiverObject) {
        const value = Reflect.get(target, property, receiverObject);
        if (property !== 'execute' || typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          if (armed) {
            armed = false;
            first.commit();
            await first.committed;
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    await relay(hooked).drain();
    await drainUntil(relay(database.db), () => receiver.bodies.length >= before + 2);

    const sent = receiver.bodies.slice(before).map((body) => Number(JSON.parse(body).id));
    expect(sent, 'both events relayed, in id order, the one that filled the hole first').toEqual([held, later]);
    await receiver.close();
  });
});

/** The relay under test, sending to `url`, reading through `db` (the test's own by default). */
const relayTo = (url: string, db = database.db) =>
  createWebhookRelay({ db, clock, logger: createLogger('silent'), url, secret: 'webhook-secret-0123456789' });

/**
 * Drains until `done`, then once more (a repeat would show there). A hole settles once every
 * transaction older than its watch has ended, in the whole cluster: other test files' open
 * transactions on the same server can hold that back for a moment.
 */
async function drainUntil(relay: { drain(): Promise<number> }, done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i += 1) {
    await relay.drain();
    if (!done()) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await relay.drain();
}
