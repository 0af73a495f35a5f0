import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, restrictedCalls } from '../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { migrationStatements } from '../support/migrations.ts';

/**
 * Migration 0021 on a restricted_calls table as earlier versions left it (its old index, the
 * same call stored more than once): the duplicates go, the first of each is kept, the key holds.
 */
const STATEMENTS = migrationStatements('0021_restricted_call_once.sql');

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const at = (iso: string) => new Date(iso);

describe('migration 0021 on rows of earlier versions', () => {
  it('keeps the first of each call stored twice, then refuses a second copy', async () => {
    const db = database.db;
    await db.execute(sql`drop index "restricted_calls_call_idx"`);
    await db.execute(sql`create index "restricted_calls_application_idx" on "restricted_calls" ("application_id")`);
    const [app] = await db
      .insert(applications)
      .values({
        profileId: 'p-0021',
        organizationName: 'p-0021',
        submission: {},
        contentHash: 'p-0021',
        stage: 'approved',
        status: 'approved',
        submittedAt: at('2026-01-01T00:00:00Z'),
        receivedAt: at('2026-01-01T00:00:00Z'),
        updatedAt: at('2026-01-01T00:00:00Z'),
        statusSince: at('2026-01-01T00:00:00Z'),
        approvedAt: at('2026-01-10T00:00:00Z'),
      })
      .returning({ id: applications.id });
    if (!app) throw new Error('no row');
    const call = (iso: string, operation: string, recordedBy: string) => ({
      applicationId: app.id,
      at: at(iso),
      operation,
      recordedBy,
      recordedAt: at('2026-02-01T00:00:00Z'),
    });
    await db
      .insert(restrictedCalls)
      .values([
        call('2026-02-01T08:00:00Z', 'getOrders', 'first'),
        call('2026-02-01T08:00:00Z', 'getOrders', 'retry'),
        call('2026-02-01T08:00:00Z', 'getOrderAddress', 'other operation'),
        call('2026-02-01T08:00:00Z', 'getOrders', 'retry again'),
        call('2026-02-02T08:00:00Z', 'getOrders', 'next day'),
      ]);
    for (const statement of STATEMENTS) await db.execute(sql.raw(statement));
    const kept = await db.select().from(restrictedCalls).where(eq(restrictedCalls.applicationId, app.id));
    expect(kept.map((c) => c.recordedBy).sort()).toEqual(['first', 'next day', 'other operation']);
    await expect(db.insert(restrictedCalls).values(call('2026-02-01T08:00:00Z', 'getOrders', 'again'))).rejects.toThrow();
  });
});
