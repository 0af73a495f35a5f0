import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, gaps } from '../../db/schema.ts';
import { FakeClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { loadQuestionnaire } from '../../src/questionnaire/questionnaire.ts';
import { applyDecision } from '../../src/reviews/decide.ts';
import { PERSONAS, personaRoles } from '../../src/sandbox/personas.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { rowsOf } from '../support/invariants.ts';
import { postgresUrl } from '../support/outage.ts';
import { seedApplications } from '../support/seed.ts';

const clock = new FakeClock('2026-03-02T10:00:00Z');
const REVIEWER = PERSONAS.find((p) => p.role === 'reviewer')?.id ?? '';
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
 * A decision locks its application and reads the review rows in one statement, whose snapshot
 * is older than the lock when the lock had to wait. A change committed by the holder of the lock
 * (here: a gap raised) must still be what the rules see.
 */
describe('a decision that waited for its application lock', () => {
  it.skipIf(!postgresUrl())('sees the review rows the lock holder committed meanwhile', async () => {
    const { openDatabase } = await import('../../db/client.ts');
    const other = await openDatabase({ kind: 'postgres', url: database.url ?? '' });
    second = { ...other, reset: async () => {} };
    const [app] = await seedApplications(database.db, clock.now(), [
      { stage: 'security', status: 'in_review', assigneeId: REVIEWER },
    ]);
    const id = app?.id ?? 0;
    const deps = {
      db: other.db,
      clock,
      roles: personaRoles(),
      questionnaire: loadQuestionnaire(),
      policy: loadConfig({}).policy,
    };

    let commitFirst: () => void = () => {};
    const firstMayCommit = new Promise<void>((resolve) => {
      commitFirst = resolve;
    });
    let gapRaised: (gapId: number) => void = () => {};
    const raised = new Promise<number>((resolve) => {
      gapRaised = resolve;
    });
    // Another change holds the application's lock, raises a gap and updates the row, then waits.
    const first = database.db.transaction(async (tx) => {
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
      gapRaised(gap?.id ?? 0);
      await firstMayCommit;
    });
    const gapId = await raised;
    const decision = applyDecision(deps, {
      applicationId: id,
      actorId: REVIEWER,
      command: { type: 'resolve_gap', gapId, resolution: 'Moved to the key vault.' },
    });
    let settled = false;
    void decision.finally(() => {
      settled = true;
    });
    for (;;) {
      const [waiting] = await rowsOf(
        database.db,
        sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
      );
      if (settled || Number(waiting?.n) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    commitFirst();
    await first;
    const result = await decision;
    expect(result.kind, JSON.stringify(result)).toBe('done');
    const [gap] = await database.db.select().from(gaps).where(eq(gaps.id, gapId));
    expect(gap?.resolvedAt).not.toBeNull();
  });
});
