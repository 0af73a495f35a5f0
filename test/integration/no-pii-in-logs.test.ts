import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, canariesIn, canaryApplication } from '../support/canaries.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { CHANNEL, type Harness, startHarness, USERS } from '../support/harness.ts';
import { ALL_PASS, input, inputMore, reviewer } from '../support/reviewer.ts';
import { prepare } from '../support/states.ts';

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

/** Every write fails as on a read-only database (SQLSTATE 25006); works alike on PGlite and Postgres. */
async function refuseWrites(on: boolean): Promise<void> {
  const tables = ['applications', 'events', 'questionnaire_answers', 'templates', 'processed_requests'];
  if (on) {
    await database.db.execute(sql`create or replace function refuse_writes() returns trigger language plpgsql as $$
      begin raise exception 'cannot execute in a read-only transaction' using errcode = '25006'; end $$`);
    for (const table of tables) {
      await database.db.execute(
        sql.raw(`create trigger refuse_writes before insert or update on ${table} for each row execute function refuse_writes()`),
      );
    }
  } else {
    for (const table of tables) await database.db.execute(sql.raw(`drop trigger if exists refuse_writes on ${table}`));
  }
}

describe('logs when the database refuses writes', () => {
  it('keep the error code and never the submission, in every write path', async () => {
    const r = reviewer(h);
    const existing = await prepare(h, r, 'sent');
    const fresh = await prepare(h, r, 'fresh');
    const answersView = await r.open(USERS.reviewer, existing, 'card.record_answers');
    const reviewView = await r.open(USERS.reviewer, fresh, 'card.business_review');
    await h.slack.command({ user: USERS.admin, text: 'new' });
    await expect.poll(() => r.modal(USERS.admin).view.callback_id).toBe('new_application');
    const newView = r.modal(USERS.admin).id;
    await h.slack.command({ user: USERS.admin, text: 'template denial' });
    await expect.poll(() => r.modal(USERS.admin).view.callback_id).toBe('edit_template');
    const templateView = r.modal(USERS.admin).id;
    const before = h.logs.lines.length;

    await refuseWrites(true);
    try {
      expect((await h.intake(canaryApplication({ profileId: 'amzn1.canary.refused' }))).status).toBe(500);
      expect((await h.intake(canaryApplication({ contact: { email: CANARY.email, phone: '+49 30 5550 1987 9' } }))).status).toBe(
        500,
      );
      await r.submit(USERS.reviewer, { 'answer.Q01': input.text(CANARY.answer) }, answersView);
      await r.submit(
        USERS.reviewer,
        { ...ALL_PASS, 'note.use_case': input.text(CANARY.answer), decision: input.radio('advance') },
        reviewView,
      );
      await r.submit(
        USERS.admin,
        {
          profileId: input.text('amzn1.canary.manual'),
          'organization.name': input.text('Canary Manual'),
          'organization.website': input.text('https://canary.example.com'),
          'contact.email': input.text(CANARY.email),
          'contact.phone': input.text(CANARY.phone),
          developerType: input.radio('private'),
          roles: inputMore.multi(['Tax Invoicing']),
          marketplaces: inputMore.multi(['EU']),
          useCase: input.text('Invoices.'),
          launchReadiness: input.select('beta'),
          piiRetention: input.select('<31'),
          securityAnswers: input.text(CANARY.answer),
          'impoc.name': input.text('Ivy Canary'),
          'impoc.email': input.text(CANARY.impocEmail),
        },
        newView,
      );
      await r.submit(USERS.admin, { body: input.text(`Wording for ${CANARY.answer}`) }, templateView);
      await r.click(USERS.reviewer2, fresh, 'card.claim');
      await expect.poll(() => r.ephemeralsFor(USERS.reviewer2).join('\n')).toContain('Something went wrong');
    } finally {
      await refuseWrites(false);
    }
    const failures = h.logs.lines.slice(before).filter((l) => l.level === 50);
    expect(failures.length).toBeGreaterThanOrEqual(5);
    const codes = JSON.stringify(failures.map((l) => l.err));
    expect(codes).toContain('"code":"25006"');
    expect(codes).toContain('DrizzleQueryError');
    expect(canariesIn(h.logs.raw.slice(before).join('\n'))).toEqual([]);
    expect(h.logs.raw.slice(before).join('\n')).not.toMatch(/Failed query|insert into|params:/i);
  });
});

describe('logs at LOG_LEVEL=debug', () => {
  it('name the Slack method, channel and ids, never a request or message body', async () => {
    const r = reviewer(h);
    const before = h.logs.raw.length;
    await h.slack.command({ user: USERS.admin, text: 'new' });
    await expect.poll(() => r.modal(USERS.admin).view.callback_id).toBe('new_application');
    const submitted = await r.submit(USERS.admin, {
      profileId: input.text('amzn1.canary.debug'),
      'organization.name': input.text('Debug Canary Org'),
      'organization.website': input.text('https://debug.example.com'),
      'contact.email': input.text(CANARY.email),
      'contact.phone': input.text(CANARY.phone),
      developerType: input.radio('private'),
      roles: inputMore.multi(['Tax Invoicing']),
      marketplaces: inputMore.multi(['EU']),
      useCase: input.text('Invoices.'),
      launchReadiness: input.select('beta'),
      piiRetention: input.select('<31'),
      securityAnswers: input.text(CANARY.answer),
      'impoc.name': input.text('Ivy Canary'),
      'impoc.email': input.text(CANARY.impocEmail),
    });
    expect(submitted.json).toMatchObject({ response_action: 'update' });
    await h.settle();
    const raw = h.logs.raw.slice(before);
    const lines = h.logs.lines.slice(before);
    expect(canariesIn(raw.join('\n'))).toEqual([]);
    // The card went out (so its body was there to log) and only its method and channel were logged.
    expect(h.emulator.state.callsTo('chat.postMessage').length).toBeGreaterThan(0);
    expect(lines.some((l) => l.component === 'slack-web-api' && l.channel === CHANNEL)).toBe(true);
    expect(lines.some((l) => String(l.msg).includes("apiCall('chat.postMessage')"))).toBe(true);
    expect(raw.join('\n')).not.toContain('Debug Canary Org');
    expect(raw.join('\n')).not.toMatch(/"blocks|\\"blocks|view_submission.*state|plain_text_input/);
  });
});
