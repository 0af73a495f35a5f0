import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { loadConfig } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { postgresUrl } from '../support/outage.ts';

/** DATABASE_POOL_SIZE: how many connections one instance opens, so operators can fit max_connections. */
describe.skipIf(!postgresUrl())('the pool of an instance on PostgreSQL', () => {
  let test: TestDatabase;
  const opened: Database[] = [];
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    for (const database of opened) await database.close();
    await test?.close();
  });

  async function open(env: Record<string, string>): Promise<Database> {
    const config = loadConfig({ DATABASE_URL: test.url ?? '', ...env });
    const database = await openDatabase(config.database);
    opened.push(database);
    return database;
  }

  it('opens at most DATABASE_POOL_SIZE connections, however many queries come at once', async () => {
    const database = await open({ DATABASE_POOL_SIZE: '3' });
    let peak = 0;
    const queries = Array.from({ length: 8 }, () => database.db.execute(sql`select pg_sleep(0.05)`));
    const watch = setInterval(() => {
      peak = Math.max(peak, database.poolStats?.().total ?? 0);
    }, 5);
    await Promise.all(queries);
    clearInterval(watch);
    expect(database.poolStats?.().max).toBe(3);
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(0);
  });

  it('keeps 20 by default', async () => {
    expect((await open({})).poolStats?.().max).toBe(20);
  });
});
