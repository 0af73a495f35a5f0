import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, events, gaps, questionnaireAnswers } from '../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { type Harness, startHarness, USERS } from '../support/harness.ts';
import { ALL_PASS, input, reviewer } from '../support/reviewer.ts';

/**
 * A modal filled in while the application changed: the change is answered first, before the
 * form is read against a state it was not built on.
 */
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

type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  element?: { initial_value?: string; initial_option?: { value: string } };
};
type View = { blocks: Block[]; private_metadata: string };
const block = (view: unknown, id: string) => (view as View).blocks.find((b) => b.block_id === id);
const notice = (view: unknown) => (view as View).blocks[0]?.text?.text ?? '';
const version = (view: unknown) => (JSON.parse((view as View).private_metadata) as { v: number }).v;
const inputIds = (view: unknown) => (view as View).blocks.flatMap((b) => (b.type === 'input' && b.block_id ? [b.block_id] : []));
const row = async (id: number) => (await database.db.select().from(applications).where(eq(applications.id, id)))[0];
const eventTypes = async (id: number) =>
  (await database.db.select().from(events).where(eq(events.applicationId, id))).map((e) => e.type);

async function inStage2() {
  const body = applicationBody();
  const id = (await h.intake(body)).json.id as number;
  await h.settle();
  await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
  return { id, body };
}

describe('a form filled in while the application changed', () => {
  it('business review opened on the private track: a switch to public is no error under a criterion the form lacks', async () => {
    const body = applicationBody({ developerType: 'private' });
    const id = (await h.intake(body)).json.id as number;
    await h.settle();
    const viewId = await r.open(USERS.reviewer, id, 'card.business_review');
    const shown = inputIds(r.modal(USERS.reviewer).view);
    expect(shown).not.toContain('criterion.differentiation');
    expect((await h.intake({ ...body, developerType: 'public' })).status).toBe(200);
    await h.settle();

    const { 'criterion.differentiation': _public, ...privateTrack } = ALL_PASS;
    const answer = await r.submit(USERS.reviewer, { ...privateTrack, decision: input.radio('advance') }, viewId);
    await h.settle();
    const ack = answer.json as { response_action?: string; errors?: Record<string, string> } | undefined;
    // Slack shows errors only under inputs of the view; any other block id and the reviewer is stuck.
    for (const id of Object.keys(ack?.errors ?? {})) expect(shown).toContain(id);
    expect(ack?.response_action).not.toBe('errors');
    expect((await row(id))?.stage).toBe('business');
    expect(await eventTypes(id)).not.toContain('business_review.passed');

    // The same review on the public track, what was chosen kept, the new criterion to judge.
    expect(ack?.response_action).toBe('update');
    await r.submitAndFollow(USERS.reviewer, { ...privateTrack, decision: input.radio('advance') }, viewId);
    const again = r.modal(USERS.reviewer).view;
    expect(notice(again)).toContain('The application changed while this form was open');
    expect(notice(again)).toContain('The developer updated the application: `developerType`');
    expect(block(again, 'criterion.use_case')?.element?.initial_option?.value).toBe('pass');
    expect(block(again, 'decision')?.element?.initial_option?.value).toBe('advance');
    expect(block(again, 'criterion.differentiation')?.element?.initial_option).toBeUndefined();
    expect(version(again)).toBe((await row(id))?.version);

    const done = await r.submit(USERS.reviewer, { ...ALL_PASS, decision: input.radio('advance') }, viewId);
    await h.settle();
    expect(done.text).toBe('');
    expect((await row(id))?.stage).toBe('security');
  });

  it('Resolve gap after another reviewer resolved that gap: told who did, not "Choose one of the options offered"', async () => {
    const { id } = await inStage2();
    await r.decide(USERS.reviewer, id, 'card.record_gap', {
      area: input.select('network_protection'),
      severity: input.select('high'),
      description: input.text('No firewall'),
    });
    const stale = await r.open(USERS.reviewer, id, 'card.resolve_gap');
    const [gap] = await database.db.select().from(gaps).where(eq(gaps.applicationId, id));
    await r.decide(USERS.reviewer2, id, 'card.resolve_gap', {
      gap: input.select(String(gap?.id)),
      resolution: input.text('Firewall in place, seen in the evidence.'),
    });

    const answer = await r.submit(
      USERS.reviewer,
      { gap: input.select(String(gap?.id)), resolution: input.text('Firewall added, evidence seen') },
      stale,
    );
    await h.settle();
    expect(answer.text).toBe('');
    await expect.poll(() => r.ephemeralsFor(USERS.reviewer).join('\n')).toContain('Already decided');
    const told = r.ephemeralsFor(USERS.reviewer).join('\n');
    expect(told).toContain(`<@${USERS.reviewer2}> resolved the Network protection gap`);
    expect(told).not.toContain('options offered');
    const [after] = await database.db.select().from(gaps).where(eq(gaps.applicationId, id));
    expect(after?.resolvedBy).toBe(USERS.reviewer2);
  });

  it('Review answers filled in while the developer changed a phone number: the verdicts and notes come back, not a closed modal', async () => {
    const { id, body } = await inStage2();
    await r.click(USERS.reviewer, id, 'card.send_questionnaire');
    await h.settle();
    const ids = Array.from({ length: 14 }, (_, i) => `Q${String(i + 1).padStart(2, '0')}`);
    await h.intake({ ...body, questionnaireAnswers: ids.map((questionId) => ({ questionId, answer: `${questionId} answer` })) });
    await h.settle();
    const viewId = await r.open(USERS.reviewer, id, 'card.review_answers');
    const phone = '+49 30 7654321';
    expect((await h.intake({ ...body, contact: { ...body.contact, phone } })).status).toBe(200);
    await h.settle();

    const fields: Record<string, unknown> = {};
    for (const q of ids) {
      fields[`verdict.${q}`] = input.select('gap:high');
      fields[`note.${q}`] = input.text(`Long careful note on ${q}`);
    }
    const answer = await r.submitAndFollow(USERS.reviewer, fields, viewId);
    await h.settle();
    expect(answer.json).toMatchObject({ response_action: 'update' });
    expect(r.ephemeralsFor(USERS.reviewer)).toEqual([]);
    const again = r.modal(USERS.reviewer).view;
    expect(notice(again)).toContain('The developer updated the application: `contact.phone`');
    expect(notice(again)).toContain('submit again');
    expect(JSON.stringify(again)).not.toContain(phone);
    expect(block(again, 'verdict.Q07')?.element?.initial_option?.value).toBe('gap:high');
    expect(block(again, 'note.Q07')?.element?.initial_value).toBe('Long careful note on Q07');
    const pending = await database.db.select().from(questionnaireAnswers).where(eq(questionnaireAnswers.applicationId, id));
    expect(pending.every((a) => a.review === 'pending')).toBe(true);

    // Submitted again from the rebuilt modal (Slack sends what it shows): recorded.
    const recorded = await r.submit(USERS.reviewer, fields, viewId);
    await h.settle();
    expect(recorded.text).toBe('');
    const judged = await database.db.select().from(questionnaireAnswers).where(eq(questionnaireAnswers.applicationId, id));
    expect(judged.every((a) => a.review === 'gap')).toBe(true);
    expect(await database.db.select().from(gaps).where(eq(gaps.applicationId, id))).toHaveLength(14);
  });

  it('Record answers filled in while the developer sent a newer answer: the form is not rebuilt over it', async () => {
    const { id, body } = await inStage2();
    await r.click(USERS.reviewer, id, 'card.send_questionnaire');
    await h.settle();
    const ids = Array.from({ length: 14 }, (_, i) => `Q${String(i + 1).padStart(2, '0')}`);
    const answers = (newer?: string) =>
      ids.map((questionId) => ({ questionId, answer: questionId === 'Q03' && newer ? newer : `${questionId} answer` }));
    await h.intake({ ...body, questionnaireAnswers: answers() });
    await h.settle();
    const viewId = await r.open(USERS.reviewer, id, 'card.record_answers');
    expect(block(r.modal(USERS.reviewer).view, 'answer.Q03')?.element?.initial_value).toBe('Q03 answer');
    expect((await h.intake({ ...body, questionnaireAnswers: answers('Q03 newer, from the developer') })).status).toBe(200);
    await h.settle();

    // Slack sends what the form shows: every answer as it was filled in, Q05 pasted from an e-mail.
    const fields: Record<string, unknown> = {};
    for (const q of ids) fields[`answer.${q}`] = input.text(q === 'Q05' ? 'Q05 pasted from an e-mail' : `${q} answer`);
    const answer = await r.submit(USERS.reviewer, fields, viewId);
    await h.settle();
    // Slack would keep the old Q03 in a rebuilt form (same block and action ids): told instead.
    expect(answer.text).toBe('');
    await expect.poll(() => r.ephemeralsFor(USERS.reviewer).join('\n')).toContain('The application changed (<!date^');
    const [q3] = await database.db
      .select()
      .from(questionnaireAnswers)
      .where(and(eq(questionnaireAnswers.applicationId, id), eq(questionnaireAnswers.questionId, 'Q03')));
    expect(q3?.answer).toBe('Q03 newer, from the developer');
    expect(q3?.source).toBe('developer');
  });

  it('a developer update that leaves the form nothing to do says the application changed, not that someone decided', async () => {
    const { id, body } = await inStage2();
    await r.decide(USERS.reviewer, id, 'card.request_information', { message: input.text('Name your firewall.') });
    const viewId = await r.open(USERS.reviewer, id, 'card.developer_replied');
    expect((await h.intake({ ...body, useCase: `${body.useCase} Behind a managed firewall.` })).status).toBe(200);
    await h.settle();

    const answer = await r.submit(USERS.reviewer, { summary: input.text('They named the firewall by e-mail.') }, viewId);
    await h.settle();
    expect(answer.text).toBe('');
    await expect.poll(() => r.ephemeralsFor(USERS.reviewer).join('\n')).toContain('The application changed (<!date^');
    const told = r.ephemeralsFor(USERS.reviewer).join('\n');
    expect(told).toContain('The developer updated the application: `useCase`. It is back in review.');
    expect(told).not.toContain('Already decided');
    expect(await eventTypes(id)).not.toContain('developer.replied');
  });
});
