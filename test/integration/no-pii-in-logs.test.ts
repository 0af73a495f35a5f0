import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { type Harness, startHarness, USERS } from '../support/harness.ts';
import { ALL_PASS, input, reviewer } from '../support/reviewer.ts';

let database: TestDatabase;
let h: Harness;

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database);
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});

/** Values no log line may ever hold: they are the developer's contact data and security answers. */
const SECRETS = {
  email: 'canary.contact@pii-canary.example',
  phone: '+49 30 99887766',
  answer: 'CANARY-SECURITY-ANSWER-7f3a',
  impoc: 'canary.impoc@pii-canary.example',
};

describe('logs', () => {
  it('never hold contact data or security answers, through intake, updates, failures and decisions', async () => {
    const r = reviewer(h);
    const body = applicationBody({
      contact: { name: 'Canary', email: SECRETS.email, phone: SECRETS.phone },
      securityAnswers: [{ topic: 'encryption', answer: SECRETS.answer }],
      impoc: { name: 'Canary', email: SECRETS.impoc },
    });
    const id = (await h.intake(body)).json.id as number;
    await h.settle();
    await h.intake({ ...body, contact: { ...body.contact, phone: '+49 30 11223344' } });
    await h.intake({ ...body, roles: ['Pricing'] });
    await h.intake({ ...body, contact: { email: 'not-an-email' } });
    h.emulator.state.faults.push({ method: 'chat.update', fault: { status: 500 } });
    await h.settle().catch(() => undefined);
    await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
    await h.slack.command({ user: USERS.reviewer, text: `status ${id}` });
    expect(h.logs.lines.length).toBeGreaterThan(5);
    for (const secret of Object.values(SECRETS)) expect(h.logs.text).not.toContain(secret);
    expect(h.logs.text).not.toContain('11223344');
  });
});
