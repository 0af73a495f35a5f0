import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '../../db/schema.ts';
import { applications, events, gaps, processedRequests, templates } from '../../db/schema.ts';
import { FakeClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { loadQuestionnaire } from '../../src/questionnaire/questionnaire.ts';
import { applyDecision } from '../../src/reviews/decide.ts';
import { createReadCache } from '../../src/reviews/read-cache.ts';
import { saveTemplate } from '../../src/reviews/templates.ts';
import { loadApplicationWithRows } from '../../src/reviews/workflow-state.ts';
import { PERSONAS, personaRoles } from '../../src/sandbox/personas.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { holding, untilWaiting } from '../support/held-transaction.ts';
import { postgresUrl } from '../support/outage.ts';
import { seedApplications } from '../support/seed.ts';

const clock = new FakeClock('2026-03-02T10:00:00Z');
const [REVIEWER = '', SECOND = ''] = PERSONAS.filter((p) => p.role === 'reviewer').map((p) => p.id);
let database: TestDatabase;
let second: TestDatabase | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await second?.close();
  await database?.close();
});

const deps = (db: TestDatabase['db']) => ({
  db,
  clock,
  roles: personaRoles(),
  questionnaire: loadQuestionnaire(),
  policy: loadConfig({}).policy,
});

/** A second pool on the test's database: the decision runs there while the first holds a transaction open. */
async function secondPool(): Promise<TestDatabase> {
  const { openDatabase } = await import('../../db/client.ts');
  const other = await openDatabase({ kind: 'postgres', url: database.url ?? '' });
  second = { ...other, reset: async () => {} };
  return second;
}

/**
 * A decision locks its application and reads the review rows in one statement, whose snapshot
 * is older than the lock when the lock had to wait. A change committed by the holder of the lock
 * (here: a gap raised) must still be what the rules see.
 */
describe('a decision that waited for its application lock', () => {
  it.skipIf(!postgresUrl())('sees the review rows the lock holder committed meanwhile', async () => {
    const other = await secondPool();
    const [app] = await seedApplications(database.db, clock.now(), [
      { stage: 'security', status: 'in_review', assigneeId: REVIEWER },
    ]);
    const id = app?.id ?? 0;
    // Another change holds the application's lock, raises a gap and updates the row, then waits.
    const first = holding(database.db, async (tx) => {
      await tx.select().from(applications).where(eq(applications.id, id)).for('update');
      const [gap] = await tx
        .insert(gaps)
        .values({
          applicationId: id,
          area: 'network_protection',
          severity: 'high',
          description: 'Keys in the repository',
          raisedBy: REVIEWER,
          raisedAt: clock.now(),
        })
        .returning({ id: gaps.id });
      await tx.update(applications).set({ updatedAt: clock.now() }).where(eq(applications.id, id));
      return gap?.id ?? 0;
    });
    const gapId = await first.ready;
    const decision = applyDecision(deps(other.db), {
      applicationId: id,
      actorId: REVIEWER,
      command: { type: 'resolve_gap', gapId, resolution: 'Moved to the key vault.' },
    });
    await untilWaiting(database.db, decision);
    first.commit();
    await first.committed;
    const result = await decision;
    expect(result.kind, JSON.stringify(result)).toBe('done');
    const [gap] = await database.db.select().from(gaps).where(eq(gaps.id, gapId));
    expect(gap?.resolvedAt).not.toBeNull();
  });
});

/**
 * A decision that is one statement (a claim, a gap raised, a Stage 1 pass) takes no lock: it
 * reads, asks the rules, and writes only while the row is the version it read. A change
 * committed in between must make it decide again on what is true now, never on what it read.
 */
describe('a decision made without a lock', () => {
  it.skipIf(!postgresUrl())('decides again when the application changed between its read and its write', async () => {
    const other = await secondPool();
    const [app] = await seedApplications(database.db, clock.now(), [{ stage: 'business', status: 'new' }]);
    const id = app?.id ?? 0;
    // Another reviewer's claim is written (without a new version number, as intake and retention
    // write) and not yet committed when the decision reads.
    const first = holding(database.db, (tx) =>
      tx.update(applications).set({ assigneeId: SECOND, status: 'in_review' }).where(eq(applications.id, id)),
    );
    await first.ready;
    const decision = applyDecision(deps(other.db), { applicationId: id, actorId: REVIEWER, command: { type: 'claim' } });
    await untilWaiting(database.db, decision);
    first.commit();
    await first.committed;

    const result = await decision;
    expect(result.kind === 'refused' ? result.refusal.message : result.kind).toContain(`<@${SECOND}> has already claimed it`);
    const [row] = await database.db.select().from(applications).where(eq(applications.id, id));
    expect(row?.assigneeId).toBe(SECOND);
    expect(await database.db.select().from(events).where(eq(events.applicationId, id))).toEqual([]);
  });

  it.skipIf(!postgresUrl())(
    'answers a repeat whose first attempt took the key meanwhile as a duplicate, writing nothing',
    async () => {
      const other = await secondPool();
      const [app] = await seedApplications(database.db, clock.now(), [
        { stage: 'security', status: 'in_review', assigneeId: REVIEWER },
      ]);
      const id = app?.id ?? 0;
      const requestKey = 'view:V0REPEAT';
      // The first attempt has taken the request's key and not yet committed.
      const first = holding(database.db, (tx) =>
        tx.insert(processedRequests).values({ key: requestKey, applicationId: id, at: clock.now() }),
      );
      await first.ready;
      const decision = applyDecision(deps(other.db), {
        applicationId: id,
        actorId: REVIEWER,
        requestKey,
        command: {
          type: 'record_gap',
          area: 'network_protection',
          severity: 'high',
          description: 'Keys in the repository',
        },
      });
      await untilWaiting(database.db, decision);
      first.commit();
      await first.committed;

      expect(await decision).toEqual({ kind: 'duplicate' });
      expect(await database.db.select().from(gaps).where(eq(gaps.applicationId, id))).toEqual([]);
      expect(await database.db.select().from(events).where(eq(events.applicationId, id))).toEqual([]);
      const [row] = await database.db.select().from(applications).where(eq(applications.id, id));
      expect(row?.version).toBe(app?.version);
    },
  );
});

/** The test's database through a second Drizzle handle on the same connections that counts the statements sent. */
async function counting(): Promise<{ db: TestDatabase['db']; statements: () => number }> {
  let sent = 0;
  const logger = {
    logQuery: () => {
      sent += 1;
    },
  };
  const client = (database.db as unknown as { $client: unknown }).$client;
  const options = { schema, casing: 'snake_case' as const, logger };
  const db =
    database.kind === 'postgres'
      ? (await import('drizzle-orm/node-postgres')).drizzle(client as never, options)
      : (await import('drizzle-orm/pglite')).drizzle(client as never, options);
  return { db: db as unknown as TestDatabase['db'], statements: () => sent };
}

/**
 * The decision submitted from a modal starts from what this instance read when it opened the
 * modal (src/reviews/read-cache.ts), and writes only while the application is still that
 * version: a change made meanwhile, here or on another instance, is read afresh.
 */
describe('a decision whose modal this instance opened', () => {
  const RECORD_GAP = {
    type: 'record_gap',
    area: 'network_protection',
    severity: 'high',
    description: 'Keys in the repository',
  } as const;

  /** A cache holding what opening a modal of application `id` read. */
  async function modalOpened(id: number) {
    const readCache = createReadCache();
    const opened = await loadApplicationWithRows(database.db, id);
    if (opened) readCache.remember(opened);
    return readCache;
  }

  it('writes in one statement, reading nothing before it', async () => {
    const [app] = await seedApplications(database.db, clock.now(), [
      { stage: 'security', status: 'in_review', assigneeId: REVIEWER },
    ]);
    const id = app?.id ?? 0;
    const readCache = await modalOpened(id);
    const { db, statements } = await counting();
    const result = await applyDecision({ ...deps(db), readCache }, { applicationId: id, actorId: REVIEWER, command: RECORD_GAP });
    expect(result.kind).toBe('done');
    expect(statements()).toBe(1);
    expect(await database.db.select().from(gaps).where(eq(gaps.applicationId, id))).toHaveLength(1);
    expect(readCache.get(id)).toBeUndefined();
  });

  it('writes on what is true now when the application changed after the modal opened', async () => {
    const [app] = await seedApplications(database.db, clock.now(), [
      { stage: 'security', status: 'in_review', assigneeId: REVIEWER },
    ]);
    const id = app?.id ?? 0;
    const readCache = await modalOpened(id);
    // Another instance raised a gap meanwhile (a review row and the application's row rewritten).
    await applyDecision(deps(database.db), {
      applicationId: id,
      actorId: SECOND,
      command: { ...RECORD_GAP, description: 'No MFA for the admins' },
    });
    const { db, statements } = await counting();
    const result = await applyDecision({ ...deps(db), readCache }, { applicationId: id, actorId: REVIEWER, command: RECORD_GAP });
    expect(result.kind).toBe('done');
    // The write that found the row changed, the read, the write.
    expect(statements()).toBe(3);
    const raised = await database.db.select().from(gaps).where(eq(gaps.applicationId, id));
    expect(raised.map((g) => g.description).sort()).toEqual(['Keys in the repository', 'No MFA for the admins']);
    const [event] = await database.db.select().from(events).where(eq(events.applicationId, id)).orderBy(desc(events.id)).limit(1);
    expect(event?.actor).toBe(REVIEWER);
  });

  it('is refused on what is true now, not on what the modal showed', async () => {
    const [app] = await seedApplications(database.db, clock.now(), [{ stage: 'business', status: 'new' }]);
    const id = app?.id ?? 0;
    const readCache = await modalOpened(id);
    // Another reviewer claimed it meanwhile, on another instance.
    expect(
      (await applyDecision(deps(database.db), { applicationId: id, actorId: SECOND, command: { type: 'claim' } })).kind,
    ).toBe('done');
    const result = await applyDecision(
      { ...deps(database.db), readCache },
      {
        applicationId: id,
        actorId: REVIEWER,
        command: { type: 'claim' },
      },
    );
    expect(result.kind === 'refused' ? result.refusal.message : result.kind).toContain(`<@${SECOND}> has already claimed it`);
    const [row] = await database.db.select().from(applications).where(eq(applications.id, id));
    expect(row?.assigneeId).toBe(SECOND);
  });
});

/**
 * Two admins save the denial template from the same version at the same instant: both read v1,
 * both make v2, and the primary key lets one through. The other is told it is stale, as when the
 * other save had come first, never "something went wrong".
 */
describe('two saves of the denial template at once', () => {
  it.skipIf(!postgresUrl())('the one that loses on the version’s key is answered as stale, naming the other', async () => {
    const other = await secondPool();
    const first = holding(database.db, async (tx) => {
      await tx
        .insert(templates)
        .values({ name: 'denial', version: 2, body: 'First wording.', createdBy: SECOND, createdAt: clock.now() });
    });
    await first.ready;
    const save = saveTemplate({ db: other.db, clock }, 'denial', 'Second wording.', REVIEWER, {
      seenVersion: 1,
      requestKey: 'view:V-RACE',
    });
    await untilWaiting(database.db, save);
    first.commit();
    await first.committed;
    const result = await save;
    expect(result).toMatchObject({ kind: 'stale', current: { version: 2, by: SECOND, body: 'First wording.' } });
    const rows = await database.db.select().from(templates);
    expect(rows.map((t) => [t.version, t.createdBy])).toEqual([[2, SECOND]]);
    // The refused save took no request key: the same form may be submitted again.
    const keys = await database.db.select().from(processedRequests).where(eq(processedRequests.key, 'view:V-RACE'));
    expect(keys).toEqual([]);
  });
});
