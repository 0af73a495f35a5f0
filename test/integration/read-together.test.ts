import { asc, count, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, events, outbox } from '../../db/schema.ts';
import { read, readAll, readOne } from '../../db/together.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { seedApplications } from '../support/seed.ts';

let database: TestDatabase;
const now = new Date('2026-03-02T09:00:00.123Z');

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  await database.reset();
});

/** Statements the database ran, counted on the driver underneath (pg Pool or PGlite). */
function countStatements(): { count: () => number; stop: () => void } {
  const client = (database.db as unknown as { $client: { query: (...args: unknown[]) => unknown } }).$client;
  const original = client.query;
  let n = 0;
  client.query = function (this: unknown, ...args: unknown[]) {
    n += 1;
    return original.apply(this, args);
  };
  return {
    count: () => n,
    stop: () => {
      client.query = original;
    },
  };
}

describe('reads run together', () => {
  it('answers every read as Drizzle would, in one statement: Dates, numbers, nulls, JSON, order and totals', async () => {
    const [first, second, third] = await seedApplications(database.db, now, [
      { organizationName: 'Oldest', statusSince: new Date('2026-02-01T10:00:00.456Z'), assigneeId: 'U1' },
      { organizationName: 'Middle', statusSince: new Date('2026-02-10T10:00:00Z'), roleReviewStages: ['business'] },
      { organizationName: 'Newest', statusSince: new Date('2026-02-20T10:00:00Z'), stage: 'security' },
    ]);
    if (!first || !second || !third) throw new Error('seeding answered no rows');
    await database.db.insert(events).values([
      { applicationId: first.id, type: 'a', actor: 'U1', at: now, payload: { n: 1, nested: { ok: true } } },
      { applicationId: first.id, type: 'b', actor: 'U2', at: now, payload: {} },
    ]);
    const db = database.db;
    const lists = {
      // Two columns named `id` (applications.id and events.id): positional, not by name.
      joined: read(
        db
          .select({ eventId: events.id, appId: applications.id, payload: events.payload, at: events.at })
          .from(events)
          .innerJoin(applications, eq(applications.id, events.applicationId))
          .orderBy(desc(events.id)),
        (rows) => rows,
      ),
      ordered: read(
        db
          .select({
            id: applications.id,
            name: applications.organizationName,
            since: applications.statusSince,
            assignee: applications.assigneeId,
            stages: applications.roleReviewStages,
            total: sql<number>`count(*) over()`.mapWith(Number),
            raw: sql<string>`upper(${applications.stage})`,
          })
          .from(applications)
          .orderBy(desc(applications.statusSince))
          .limit(2),
        (rows) => rows,
      ),
      counted: read(db.select({ n: count() }).from(applications).where(eq(applications.stage, 'security')), ([row]) => row?.n),
      none: read(db.select({ id: outbox.id }).from(outbox), (rows) => rows),
      skipped: null,
    };
    const statements = countStatements();
    const together = await readOne(
      db,
      readAll(lists, (r) => r),
    ).finally(statements.stop);
    expect(statements.count()).toBe(1);

    const alone = {
      joined: await readOne(db, lists.joined),
      ordered: await readOne(db, lists.ordered),
      counted: await readOne(db, lists.counted),
      none: await readOne(db, lists.none),
      skipped: null,
    };
    expect(together).toEqual(alone);
    expect(together.ordered).toEqual([
      {
        id: third.id,
        name: 'Newest',
        since: new Date('2026-02-20T10:00:00Z'),
        assignee: null,
        stages: null,
        total: 3,
        raw: 'SECURITY',
      },
      {
        id: second.id,
        name: 'Middle',
        since: new Date('2026-02-10T10:00:00Z'),
        assignee: null,
        stages: ['business'],
        total: 3,
        raw: 'BUSINESS',
      },
    ]);
    expect(together.joined.map((r) => r.appId)).toEqual([first.id, first.id]);
    expect(together.joined[1]?.payload).toEqual({ n: 1, nested: { ok: true } });
    expect(together.joined[0]?.at).toEqual(now);
    expect(together.counted).toBe(1);
    expect(together.none).toEqual([]);
    expect(together.skipped).toBeNull();
  });

  it('reads a CTE’s fields and Date parameters in a transaction, as Drizzle does', async () => {
    await seedApplications(database.db, now, [
      { organizationName: 'Early', statusSince: new Date('2026-02-01T10:00:00.456Z') },
      { organizationName: 'Late', statusSince: new Date('2026-02-25T10:00:00.789Z') },
      { organizationName: 'Later', statusSince: new Date('2026-02-27T10:00:00Z') },
    ]);
    const result = await database.db.transaction(async (tx) => {
      // As the Home's scheduled audits: a page counted on its own, then joined.
      const page = tx.$with('page').as(
        tx
          .select({
            id: applications.id,
            since: applications.statusSince,
            total: sql<number>`count(*) over()`.mapWith(Number).as('total'),
          })
          .from(applications)
          .where(gte(applications.statusSince, new Date('2026-02-20T00:00:00Z')))
          .orderBy(asc(applications.statusSince))
          .limit(1),
      );
      const paged = read(
        tx
          .with(page)
          .select({ name: applications.organizationName, since: page.since, total: page.total })
          .from(page)
          .innerJoin(applications, eq(applications.id, page.id)),
        (rows) => rows,
      );
      const before = read(
        tx
          .select({ name: applications.organizationName, since: applications.statusSince })
          .from(applications)
          .where(lt(applications.statusSince, new Date('2026-02-20T00:00:00Z'))),
        (rows) => rows,
      );
      const together = await readOne(
        tx,
        readAll({ paged, before }, (r) => r),
      );
      const alone = { paged: await readOne(tx, paged), before: await readOne(tx, before) };
      return { together, alone };
    });
    expect(result.together).toEqual(result.alone);
    expect(result.together).toEqual({
      paged: [{ name: 'Late', since: new Date('2026-02-25T10:00:00.789Z'), total: 2 }],
      before: [{ name: 'Early', since: new Date('2026-02-01T10:00:00.456Z') }],
    });
  });

  it('refuses a select whose statement answers more columns than its fields', async () => {
    const [one] = await seedApplications(database.db, now, [{ organizationName: 'One' }]);
    if (!one) throw new Error('seeding answered no rows');
    await database.db.insert(events).values({ applicationId: one.id, type: 'a', actor: 'U1', at: now, payload: {} });
    // `select()` of a join: Drizzle's statement has both tables' columns, its fields only the first's.
    const wide = read(
      database.db.select().from(applications).innerJoin(events, eq(events.applicationId, applications.id)),
      (r) => r,
    );
    const only = read(database.db.select({ id: applications.id }).from(applications), (r) => r);
    await expect(
      readOne(
        database.db,
        readAll({ wide, only }, (r) => r),
      ),
    ).rejects.toThrow(/answered \d+ columns for \d+ fields/);
  });

  it('keeps a long sorted list in its order', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({
      organizationName: `Org ${i}`,
      statusSince: new Date(now.getTime() - ((i * 7919) % 60) * 60_000 - i),
    }));
    await seedApplications(database.db, now, rows);
    const byAge = read(
      database.db
        .select({ id: applications.id, since: applications.statusSince })
        .from(applications)
        .orderBy(asc(applications.statusSince), asc(applications.id)),
      (r) => r.map((x) => x.since.getTime()),
    );
    const { sorted } = await readOne(
      database.db,
      readAll({ sorted: byAge, other: byAge }, (r) => r),
    );
    expect(sorted).toHaveLength(60);
    expect(sorted).toEqual([...sorted].sort((a, b) => a - b));
  });
});
