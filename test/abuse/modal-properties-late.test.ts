import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/clock.ts';
import { canariesIn } from '../support/canaries.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { injectionsSent } from '../support/hostile.ts';
import { halfWritten } from '../support/invariants.ts';
import { fuzzModals, MENTIONABLE } from '../support/modal-fuzz.ts';
import { MODALS } from '../support/modals.ts';
import { reviewer } from '../support/reviewer.ts';
import { START } from '../support/states.ts';

/** Stage 3 and after approval: random and hostile `view.state.values`. */
const CALLBACKS = [
  'schedule_review',
  'reschedule_review',
  'cancel_review',
  'record_outcome',
  'mark_answered',
  'record_go_live',
  'record_restricted_call',
  'schedule_audit',
  'record_audit_outcome',
  'close_remediation',
];
const RUNS = 1_000;

let database: TestDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database, { clock: new FakeClock(START) });
  r = reviewer(h);
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});

describe('modal submissions of Stage 3 and after approval under random and hostile values', () => {
  it(`answer 200 with nothing or field errors, fail nothing and write whole rows (${RUNS} runs)`, {
    timeout: 120_000,
  }, async () => {
    const stats = await fuzzModals(
      { h, r, database },
      MODALS.filter((m) => CALLBACKS.includes(m.callback)),
      RUNS,
    );
    console.log(`[abuse] modals (stage 3 and after): ${JSON.stringify(stats)} of ${RUNS} runs planned`);
    expect(stats.accepted).toBeGreaterThan(stats.runs / 20);
    expect(await halfWritten(database.db)).toEqual([]);
  });

  it('never let accepted text ping anyone or forge a link in what the bot posted', async () => {
    await h.settle();
    expect(injectionsSent(h.emulator, MENTIONABLE)).toEqual([]);
  });

  it('logged no contact data or security answers', () => {
    expect(canariesIn(h.logs.text)).toEqual([]);
  });
});
