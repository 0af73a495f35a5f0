import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/clock.ts';
import { canariesIn, canaryApplication } from '../support/canaries.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type Harness, startHarness, USERS } from '../support/harness.ts';
import { halfWritten, tableCounts } from '../support/invariants.ts';
import { input, reviewer } from '../support/reviewer.ts';
import { prepare, START } from '../support/states.ts';

/**
 * Text JSON carries but Postgres cannot store: NUL (text and jsonb refuse it) and a lone UTF-16
 * surrogate (jsonb refuses its escape). The properties leave these out so that they keep finding
 * other things; here each is sent on purpose. A caller's bad text is the caller's mistake: 400
 * with the field named (or, in a modal, an error under the input), never a 500 or "something went wrong".
 */
const UNSTORABLE = [
  ['NUL', 'Northwind\u0000 Commerce'],
  ['a lone surrogate', 'Northwind \ud800 Commerce'],
] as const;

let database: TestDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;
const clock = new FakeClock(START);

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database, { clock });
  r = reviewer(h);
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});
beforeEach(() => h.emulator.state.reset());

describe('text Postgres cannot store', () => {
  it.each(
    UNSTORABLE.flatMap(([name, text]) =>
      [
        ['organization.name', { organization: { name: text, website: 'https://northwind.example.com' } }],
        ['useCase', { useCase: text }],
        ['securityAnswers.0.answer', { securityAnswers: [{ topic: 'encryption', answer: text }] }],
      ].map(([field, overrides]) => ({ name, field: field as string, overrides: overrides as Record<string, unknown> })),
    ),
  )('intake refuses $name in $field with 400, not 500', async ({ field, overrides }) => {
    const before = await tableCounts(database.db);
    const res = await h.intake(canaryApplication(overrides));
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect(JSON.stringify(res.json.issues)).toContain(field);
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it.each(UNSTORABLE)('a modal answers %s with an error under the input, not "something went wrong"', async (_name, text) => {
    const id = await prepare(h, r, 'stage2');
    const viewId = await r.open(USERS.reviewer, id, 'card.record_gap');
    const before = await tableCounts(database.db);
    const answer = await r.submit(
      USERS.reviewer,
      { area: input.select('third_parties'), severity: input.select('low'), description: input.text(text) },
      viewId,
    );
    await h.settle();
    // A failure is told after the ack, so give it the moment it takes to arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.ephemeralsFor(USERS.reviewer).join('\n')).not.toContain('Something went wrong');
    expect(answer.json).toMatchObject({ response_action: 'errors', errors: { description: expect.any(String) } });
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it('leaves no half-written rows and no contact data in the logs', async () => {
    expect(await halfWritten(database.db)).toEqual([]);
    expect(canariesIn(h.logs.text)).toEqual([]);
  });
});
