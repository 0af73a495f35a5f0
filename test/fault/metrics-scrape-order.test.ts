import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { FakeClock } from '../../src/clock.ts';
import { createMetrics, recordWebhookDelivery } from '../../src/metrics.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const deliveries = (text: string) => Number(/^pii_review_webhook_deliveries_total (\S+)$/m.exec(text)?.[1]);

/**
 * The relay counts a delivery, then moves its cursor. A scrape whose counters were sampled
 * before its database read came back could show the backlog drained beside fewer deliveries
 * than drained it (as a metrics test once saw under load): the gauges are read first now.
 */
describe('a metrics scrape', () => {
  it('samples the counters after the database figures it shows beside them', async () => {
    const clock = new FakeClock('2026-03-02T10:00:00Z');
    const plain = createMetrics({ database, clock, webhook: true });
    const before = deliveries((await plain.render()).body);

    // A delivery lands while the scrape's database read is on its way.
    const db = new Proxy(database.db, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key !== 'execute') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          recordWebhookDelivery(true);
          return result;
        };
      },
    }) as Db;
    const racing = createMetrics({ database: { ...database, db }, clock, webhook: true });
    const { body } = await racing.render();

    expect(body).toContain('pii_review_webhook_backlog_events 0');
    // Two reads (outbox, then webhook state), each followed by a delivery.
    expect(deliveries(body)).toBe(before + 2);
  });
});
