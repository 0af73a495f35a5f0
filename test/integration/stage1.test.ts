import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, developerMessages, events } from '../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { type Harness, startHarness, USERS } from '../support/harness.ts';
import { ALL_PASS, input, reviewer } from '../support/reviewer.ts';

let database: TestDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database);
  r = reviewer(h);
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});
beforeEach(async () => {
  await h.reset();
});

async function newApplication() {
  const res = await h.intake(applicationBody());
  await h.settle();
  return res.json.id as number;
}
const row = async (id: number) => (await database.db.select().from(applications).where(eq(applications.id, id)))[0];

describe('claim and assign', () => {
  it('lets a reviewer claim: the card shows the assignee, the thread says who', async () => {
    const id = await newApplication();
    expect(r.buttons(id)).toEqual([
      'card.claim',
      'card.business_review',
      'card.status',
      'card.submission',
      'admin:assign',
      'admin:withdraw',
    ]);
    await r.click(USERS.reviewer, id, 'card.claim');
    await h.settle();
    expect(await row(id)).toMatchObject({ assigneeId: USERS.reviewer, status: 'in_review', version: 2 });
    expect(JSON.stringify(r.card(id).blocks)).toContain(`<@${USERS.reviewer}>`);
    expect(r.buttons(id)).not.toContain('card.claim');
    expect(r.threadOf(id)).toEqual([expect.stringContaining(`<@${USERS.reviewer}> claimed the application.`)]);
  });

  it('lets an admin reassign through the overflow menu', async () => {
    const id = await newApplication();
    await r.click(USERS.reviewer, id, 'card.claim');
    await h.settle();
    await r.adminOption(USERS.admin, id, 'assign');
    await expect.poll(() => r.modal(USERS.admin).view.callback_id).toBe('assign');
    await r.submit(USERS.admin, { assignee: input.user(USERS.reviewer2) });
    await h.settle();
    expect((await row(id))?.assigneeId).toBe(USERS.reviewer2);
    expect(r.threadOf(id).at(-1)).toContain(`assigned the application to <@${USERS.reviewer2}>`);
  });
});

describe('business review', () => {
  it('advances to Stage 2 when every criterion passes, recording criteria and notes in the event', async () => {
    const id = await newApplication();
    const answer = await r.decide(USERS.reviewer, id, 'card.business_review', {
      ...ALL_PASS,
      'note.public_website': input.text('Pricing page and docs are public.'),
      decision: input.radio('advance'),
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect(await row(id)).toMatchObject({ stage: 'security', status: 'in_review', assigneeId: USERS.reviewer });
    const [, passed] = await database.db.select().from(events).where(eq(events.applicationId, id)).orderBy(events.id);
    expect(passed?.type).toBe('business_review.passed');
    expect(passed?.payload).toMatchObject({
      criteria: { public_website: { pass: true, note: 'Pricing page and docs are public.' } },
    });
    expect(r.buttons(id)).toEqual([
      'card.record_gap',
      'card.request_information',
      'card.send_questionnaire',
      'card.deny_security',
      'card.status',
      'card.submission',
      'admin:assign',
      'admin:withdraw',
    ]);
    expect(r.threadOf(id).at(-1)).toContain('passed the business review');
  });

  it('shows the submitted website as a link in the modal', async () => {
    const id = await newApplication();
    await r.click(USERS.reviewer, id, 'card.business_review');
    await expect
      .poll(() => JSON.stringify(r.modal(USERS.reviewer).view))
      .toContain('<https://northwind.example.com|https://northwind.example.com>');
  });

  it('rejects with the denial text stored verbatim with its template version; the card keeps no workflow button', async () => {
    const id = await newApplication();
    await r.decide(USERS.reviewer, id, 'card.business_review', {
      ...ALL_PASS,
      'criterion.launch_readiness': input.radio('fail'),
      decision: input.radio('reject'),
      denial_text: input.text('We cannot grant access at this time. This decision is final.'),
    });
    expect(await row(id)).toMatchObject({ stage: 'closed', status: 'rejected' });
    const [message] = await database.db.select().from(developerMessages).where(eq(developerMessages.applicationId, id));
    expect(message).toMatchObject({
      kind: 'denial',
      body: 'We cannot grant access at this time. This decision is final.',
      templateVersion: 1,
      sentBy: USERS.reviewer,
    });
    expect(r.buttons(id)).toEqual(['card.status', 'card.submission', 'admin:reopen']);
    expect(r.threadOf(id).at(-1)).toContain('*rejected* the application in the business review (failed: Launch readiness)');
  });

  it('prefills the built-in denial text, which names no reason and says the developer may resubmit', async () => {
    const id = await newApplication();
    await r.open(USERS.reviewer, id, 'card.business_review');
    const blocks = r.modal(USERS.reviewer).view.blocks as { block_id?: string }[];
    const denial = JSON.stringify(blocks.find((b) => b.block_id === 'denial_text'));
    expect(denial).toContain('does not meet our criteria for access to restricted data at this time');
    expect(denial).toContain('address the reasons for this decision and resubmit your profile');
    expect(denial).not.toContain('final');
  });

  it('prefills the denial text from the admin-edited template and records its version', async () => {
    await h.slack.command({ user: USERS.admin, text: 'template denial' });
    await expect.poll(() => r.modal(USERS.admin).view.callback_id).toBe('edit_template');
    await r.submit(USERS.admin, { body: input.text('Our new general wording. This decision is final.') });
    const id = await newApplication();
    await r.click(USERS.reviewer, id, 'card.business_review');
    await expect.poll(() => JSON.stringify(r.modal(USERS.reviewer).view)).toContain('Our new general wording.');
    await r.submit(USERS.reviewer, {
      ...ALL_PASS,
      'criterion.geographies': input.radio('fail'),
      decision: input.radio('reject'),
      denial_text: input.text('Our new general wording. This decision is final.'),
    });
    await h.settle();
    const [message] = await database.db.select().from(developerMessages).where(eq(developerMessages.applicationId, id));
    expect(message?.templateVersion).toBe(2);
  });

  it.each([
    [
      'advance with a failed criterion',
      { ...ALL_PASS, 'criterion.geographies': input.radio('fail'), decision: input.radio('advance') },
      'decision',
      'Advance needs every criterion to pass',
    ],
    [
      'reject with no failed criterion',
      { ...ALL_PASS, decision: input.radio('reject'), denial_text: input.text('x') },
      'decision',
      'at least one failed criterion',
    ],
    [
      'reject without denial text',
      { ...ALL_PASS, 'criterion.use_case': input.radio('fail'), decision: input.radio('reject'), denial_text: input.text('  ') },
      'denial_text',
      'Write the denial text',
    ],
    [
      'a criterion left unanswered',
      { ...ALL_PASS, 'criterion.use_case': undefined, decision: input.radio('advance') },
      'criterion.use_case',
      'Choose one.',
    ],
    ['no decision', { ...ALL_PASS }, 'decision', 'Choose one.'],
    [
      'a note over 500 characters',
      { ...ALL_PASS, 'note.use_case': input.text('n'.repeat(501)), decision: input.radio('advance') },
      'note.use_case',
      'Keep it to 500 characters',
    ],
    [
      'a forged option',
      { ...ALL_PASS, 'criterion.use_case': input.radio('maybe'), decision: input.radio('advance') },
      'criterion.use_case',
      'options offered',
    ],
  ])('keeps the modal open with a field error for %s, and changes nothing', async (_name, fields, block, message) => {
    const id = await newApplication();
    await r.click(USERS.reviewer, id, 'card.business_review');
    await expect.poll(() => r.modal(USERS.reviewer).view.callback_id).toBe('business_review');
    const answer = await r.submit(USERS.reviewer, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
    expect(answer.json).toMatchObject({ response_action: 'errors', errors: { [block]: expect.stringContaining(message) } });
    expect(await row(id)).toMatchObject({ stage: 'business', status: 'new', version: 1 });
    expect(await database.db.select().from(events).where(eq(events.applicationId, id))).toHaveLength(1);
  });
});

describe('admin: reopen and withdraw', () => {
  it('reopens a rejected application with a documented reason', async () => {
    const id = await newApplication();
    await r.decide(USERS.reviewer, id, 'card.business_review', {
      ...ALL_PASS,
      'criterion.geographies': input.radio('fail'),
      decision: input.radio('reject'),
      denial_text: input.text('Final.'),
    });
    await r.adminOption(USERS.admin, id, 'reopen');
    await expect.poll(() => r.modal(USERS.admin).view.callback_id).toBe('reopen');
    expect(JSON.stringify(r.modal(USERS.admin).view)).toContain('It goes back to Stage 1 · Business criteria, in review.');
    const empty = await r.submit(USERS.admin, { reason: input.text('') });
    expect(empty.json).toMatchObject({ response_action: 'errors', errors: { reason: 'This is required.' } });
    await r.submit(USERS.admin, { reason: input.text('The developer showed the EU launch was public after all.') });
    await h.settle();
    expect(await row(id)).toMatchObject({ stage: 'business', status: 'in_review' });
    expect(r.threadOf(id).at(-1)).toContain(
      'reopened the application: _The developer showed the EU launch was public after all._',
    );
  });

  it('withdraws an open application; withdrawn is final', async () => {
    const id = await newApplication();
    await r.adminOption(USERS.admin, id, 'withdraw');
    await expect.poll(() => r.modal(USERS.admin).view.callback_id).toBe('withdraw');
    await r.submit(USERS.admin, { reason: input.text('The developer asked to withdraw.') });
    await h.settle();
    expect(await row(id)).toMatchObject({ stage: 'closed', status: 'withdrawn' });
    expect(r.buttons(id)).toEqual(['card.status', 'card.submission']);
  });
});
