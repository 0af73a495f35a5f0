import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, developerMessages, gaps, questionnaireAnswers } from '../../db/schema.ts';
import { loadQuestionnaire } from '../../src/questionnaire/questionnaire.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { CHANNEL, type Harness, startHarness, USERS } from '../support/harness.ts';
import { ALL_PASS, input, reviewer } from '../support/reviewer.ts';

const QUESTIONNAIRE = loadQuestionnaire();
const QUESTION_IDS = QUESTIONNAIRE.questions.map((q) => q.id);

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

const row = async (id: number) => (await database.db.select().from(applications).where(eq(applications.id, id)))[0];

/** An application that passed Stage 1, with its intake body for resubmissions. */
async function inStage2() {
  const body = applicationBody();
  const id = (await h.intake(body)).json.id as number;
  await h.settle();
  await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
  return { id, body };
}

async function recordGap(
  id: number,
  area = 'incident_response',
  severity = 'high',
  description = 'No 24 h notification commitment.',
) {
  return r.decide(USERS.reviewer, id, 'card.record_gap', {
    area: input.select(area),
    severity: input.select(severity),
    description: input.text(description),
  });
}

describe('Stage 2: gaps and information requests', () => {
  it('records a gap: listed on the card by severity and in /pii status', async () => {
    const { id } = await inStage2();
    await recordGap(id);
    await recordGap(id, 'access_management', 'medium', 'Leavers are not removed within 24 hours.');
    const open = await database.db.select().from(gaps).where(eq(gaps.applicationId, id));
    expect(open.map((g) => [g.area, g.severity, g.raisedBy])).toEqual([
      ['incident_response', 'high', USERS.reviewer],
      ['access_management', 'medium', USERS.reviewer],
    ]);
    expect(JSON.stringify(r.card(id).blocks)).toContain('*2 open* (1 high, 1 medium)');
    expect(r.buttons(id)).toEqual([
      'card.record_gap',
      'card.resolve_gap',
      'card.request_information',
      'card.deny_security',
      'card.status',
      'card.submission',
      'admin:assign',
      'admin:withdraw',
    ]);
    const status = await h.slack.command({ user: USERS.reviewer, text: `status ${id}` });
    expect(JSON.stringify(status.json)).toContain('recorded a *high* gap in Incident response');
  });

  it('requests information prefilled with the open gaps, counts rounds, and returns to review on the developer’s update', async () => {
    const { id, body } = await inStage2();
    await recordGap(id);
    await r.click(USERS.reviewer, id, 'card.request_information');
    await expect.poll(() => r.modal(USERS.reviewer).view.callback_id).toBe('request_information');
    const prefilled = JSON.stringify(r.modal(USERS.reviewer).view);
    expect(prefilled).toContain('Incident response: No 24 h notification commitment.');
    expect(prefilled).toContain('Amazon notified within 24 hours');
    await r.submit(USERS.reviewer, { message: input.text('Please commit to notifying Amazon within 24 hours of an incident.') });
    await h.settle();
    expect(await row(id)).toMatchObject({ status: 'waiting_on_developer', infoRounds: 1 });
    const [message] = await database.db.select().from(developerMessages).where(eq(developerMessages.applicationId, id));
    expect(message).toMatchObject({
      kind: 'information_request',
      body: 'Please commit to notifying Amazon within 24 hours of an incident.',
    });
    expect(JSON.stringify(r.card(id).blocks)).toContain('Waiting on developer since <!date^');
    expect(JSON.stringify(r.card(id).blocks)).toContain('1 round');

    const update = await h.intake({
      ...body,
      securityAnswers: [{ topic: 'incident response', answer: 'We notify Amazon within 24 hours.' }],
    });
    await h.settle();
    expect(update.json).toMatchObject({ outcome: 'updated', status: 'in_review', changedFields: ['securityAnswers'] });
    expect(r.threadOf(id).at(-1)).toContain('The developer updated the application: `securityAnswers`. It is back in review.');
  });

  it('resolves a gap, keeping it in history', async () => {
    const { id } = await inStage2();
    await recordGap(id);
    const [gap] = await database.db.select().from(gaps).where(eq(gaps.applicationId, id));
    await r.decide(USERS.reviewer2, id, 'card.resolve_gap', {
      gap: input.select(String(gap?.id)),
      resolution: input.text('Plan now commits to 24 h notice.'),
    });
    const [resolved] = await database.db.select().from(gaps).where(eq(gaps.applicationId, id));
    expect(resolved).toMatchObject({ resolvedBy: USERS.reviewer2, resolution: 'Plan now commits to 24 h notice.' });
    expect(resolved?.resolvedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(r.card(id).blocks)).toContain('None open');
    expect(r.buttons(id)).toContain('card.send_questionnaire');
  });

  it.each([
    [
      'record_gap',
      'card.record_gap',
      { area: input.select('network_protection'), severity: input.select('urgent'), description: input.text('x') },
      'severity',
    ],
    [
      'record_gap',
      'card.record_gap',
      { area: input.select('astrology'), severity: input.select('low'), description: input.text('x') },
      'area',
    ],
    [
      'record_gap',
      'card.record_gap',
      { area: input.select('network_protection'), severity: input.select('low'), description: input.text('') },
      'description',
    ],
    [
      'record_gap',
      'card.record_gap',
      { area: input.select('network_protection'), severity: input.select('low'), description: input.text('d'.repeat(2001)) },
      'description',
    ],
    ['request_information', 'card.request_information', { message: input.text(' ') }, 'message'],
  ])('%s: a bad input is a field error and changes nothing (%#)', async (callback, actionId, fields, block) => {
    const { id } = await inStage2();
    const before = await row(id);
    await r.click(USERS.reviewer, id, actionId);
    await expect.poll(() => r.modal(USERS.reviewer).view.callback_id).toBe(callback);
    const answer = await r.submit(USERS.reviewer, fields);
    expect(answer.json).toMatchObject({ response_action: 'errors', errors: { [block]: expect.any(String) } });
    expect(await row(id)).toEqual(before);
  });
});

describe('Stage 2: the questionnaire', () => {
  it('refuses to send it while a gap is open', async () => {
    const { id } = await inStage2();
    await recordGap(id);
    expect(r.buttons(id)).not.toContain('card.send_questionnaire');
    // A stale card (or a forged click) is refused on the server all the same.
    const version = (await row(id))?.version;
    await h.slack.messageAction({
      user: USERS.reviewer,
      channel: CHANNEL,
      ts: r.card(id).ts,
      action: { actionId: 'card.send_questionnaire', value: `${id}:${version}` },
    });
    await expect
      .poll(() => r.ephemeralsFor(USERS.reviewer).at(-1))
      .toContain('Resolve the 1 open gap(s) before sending the questionnaire.');
    expect((await row(id))?.questionnaireVersion).toBeNull();
  });

  it('walks the questionnaire: sent as a file in the thread, answers through intake, reviewed, a gap raised and resolved, Stage 2 passed', async () => {
    const { id, body } = await inStage2();
    await r.click(USERS.reviewer, id, 'card.send_questionnaire');
    await h.settle();
    expect(await row(id)).toMatchObject({ status: 'waiting_on_developer', questionnaireVersion: QUESTIONNAIRE.version });
    const file = [...h.emulator.state.files.values()][0];
    expect(file?.threadTs).toBe(r.card(id).ts);
    const document = file?.content?.toString('utf8') ?? '';
    expect(document).toContain(`Application: #${id}`);
    expect(document).toContain(`Questionnaire version: ${QUESTIONNAIRE.version}`);
    for (const qid of QUESTION_IDS) expect(document).toContain(`${qid}. `);
    const [sent] = await database.db.select().from(developerMessages).where(eq(developerMessages.kind, 'questionnaire'));
    expect(sent?.body).toBe(document);

    const answers = QUESTION_IDS.map((questionId) => ({ questionId, answer: `Answer to ${questionId}.` }));
    const update = await h.intake({ ...body, questionnaireAnswers: answers });
    await h.settle();
    expect(update.json).toMatchObject({ outcome: 'updated', status: 'in_review' });
    expect(JSON.stringify(r.card(id).blocks)).toContain(`*${QUESTION_IDS.length} to review*`);

    // Accept all but Q05, which opens a gap.
    const verdicts = Object.fromEntries(
      QUESTION_IDS.map((q) => [`verdict.${q}`, input.select(q === 'Q05' ? 'gap:high' : 'accept')]),
    );
    await r.decide(USERS.reviewer, id, 'card.review_answers', {
      ...verdicts,
      'note.Q05': input.text('No KMS named; keys not rotated.'),
    });
    const [gap] = await database.db.select().from(gaps).where(eq(gaps.applicationId, id));
    expect(gap).toMatchObject({ area: 'encryption_at_rest', severity: 'high', questionId: 'Q05' });
    expect(r.buttons(id)).not.toContain('card.pass_security');

    // The developer answers Q05 again; it waits for review once more, and the gap is resolved.
    await h.intake({
      ...body,
      questionnaireAnswers: [
        ...answers.filter((a) => a.questionId !== 'Q05'),
        { questionId: 'Q05', answer: 'AWS KMS, yearly rotation.' },
      ],
    });
    await h.settle();
    const q05 = (await database.db.select().from(questionnaireAnswers).where(eq(questionnaireAnswers.applicationId, id))).find(
      (a) => a.questionId === 'Q05',
    );
    expect(q05).toMatchObject({ answer: 'AWS KMS, yearly rotation.', review: 'pending', source: 'developer' });
    await r.decide(USERS.reviewer, id, 'card.review_answers', { 'verdict.Q05': input.select('accept') });
    await r.decide(USERS.reviewer, id, 'card.resolve_gap', {
      gap: input.select(String(gap?.id)),
      resolution: input.text('KMS named in the new answer.'),
    });

    expect(r.buttons(id)).toContain('card.pass_security');
    await r.click(USERS.reviewer, id, 'card.pass_security');
    await h.settle();
    expect(await row(id)).toMatchObject({ stage: 'architecture', status: 'new' });
    expect(JSON.stringify(r.card(id).blocks)).toContain('Stage 3 · Architecture review');
    expect(r.threadOf(id).at(-1)).toContain('passed Stage 2');
  });

  it('lets a reviewer paste answers, and refuses answers through intake before the questionnaire was sent', async () => {
    const { id, body } = await inStage2();
    const early = await h.intake({ ...body, questionnaireAnswers: [{ questionId: 'Q01', answer: 'Firewalls.' }] });
    expect(early.status).toBe(422);
    expect(early.json.issues[0]).toEqual({
      path: 'questionnaireAnswers',
      message: 'no questionnaire has been sent to this application yet',
    });

    await r.click(USERS.reviewer, id, 'card.send_questionnaire');
    await h.settle();
    const unknown = await h.intake({ ...body, questionnaireAnswers: [{ questionId: 'Q99', answer: 'x' }] });
    expect(unknown.status).toBe(422);
    expect(unknown.json.issues[0].path).toBe('questionnaireAnswers.0.questionId');

    await r.decide(USERS.reviewer, id, 'card.record_answers', {
      'answer.Q01': input.text('Pasted from the e-mail: firewalls and IDS.'),
    });
    const stored = await database.db.select().from(questionnaireAnswers).where(eq(questionnaireAnswers.applicationId, id));
    expect(stored).toEqual([expect.objectContaining({ questionId: 'Q01', source: 'reviewer', review: 'pending' })]);
    expect(await row(id)).toMatchObject({ status: 'in_review' });
  });

  it('keeps accepted answers holding invisible characters when Record answers is sent back with them untouched', async () => {
    const { id, body } = await inStage2();
    await r.click(USERS.reviewer, id, 'card.send_questionnaire');
    await h.settle();
    const answers = [
      { questionId: 'Q01', answer: 'Firewalls\u200B and ACLs on every subnet.' },
      // An emoji sequence holds a zero-width joiner (U+200D).
      { questionId: 'Q02', answer: 'Unique IDs 👩\u200D💻 for every engineer.' },
    ];
    expect((await h.intake({ ...body, questionnaireAnswers: answers })).status).toBe(200);
    await h.settle();
    await r.decide(USERS.reviewer, id, 'card.review_answers', {
      'verdict.Q01': input.select('accept'),
      'verdict.Q02': input.select('accept'),
    });

    const viewId = await r.open(USERS.reviewer, id, 'card.record_answers');
    const view = r.modal(USERS.reviewer).view as unknown as {
      blocks: { type: string; block_id?: string; element?: { initial_value?: string } }[];
    };
    // What Slack sends for an input left untouched: its initial value.
    const fields: Record<string, unknown> = {};
    for (const b of view.blocks)
      if (b.type === 'input' && b.block_id) fields[b.block_id] = input.text(b.element?.initial_value ?? '');
    fields['answer.Q03'] = input.text('Encrypted at rest with KMS.');
    await r.submit(USERS.reviewer, fields, viewId);
    await h.settle();

    const stored = await database.db.select().from(questionnaireAnswers).where(eq(questionnaireAnswers.applicationId, id));
    const byId = new Map(stored.map((a) => [a.questionId, a]));
    for (const { questionId, answer } of answers)
      expect(byId.get(questionId)).toMatchObject({ answer, review: 'accepted', source: 'developer' });
    expect(r.threadOf(id).at(-1)).toContain('recorded questionnaire answers: Q03.');
  });

  it('shows a contact answer (the IMPOC, Q14) in Review answers and Record answers only to assignee and admins; an empty input keeps it', async () => {
    const { id, body } = await inStage2();
    await r.click(USERS.reviewer, id, 'card.send_questionnaire');
    await h.settle();
    const impoc = 'Ivy Incident, ivy.impoc.5e1b@example.com';
    await h.intake({
      ...body,
      questionnaireAnswers: [
        { questionId: 'Q01', answer: 'Firewalls and IDS.' },
        { questionId: 'Q14', answer: impoc },
      ],
    });
    await h.settle();
    const withheld = 'Contact data: this answer is shown only to the assignee, the application’s architect and admins.';

    // Another reviewer judges that an IMPOC was named without reading who.
    await r.open(USERS.reviewer2, id, 'card.review_answers');
    const other = JSON.stringify(r.modal(USERS.reviewer2).view);
    expect(other).not.toContain('ivy.impoc.5e1b');
    expect(other).toContain('Firewalls and IDS.');
    expect(other).toContain('verdict.Q14');
    expect(other).toContain(withheld);
    for (const user of [USERS.reviewer, USERS.admin]) {
      await r.open(user, id, 'card.review_answers');
      const text = JSON.stringify(r.modal(user).view);
      expect(text).toContain(impoc);
      expect(text).not.toContain(withheld);
    }

    // Record answers is not prefilled with it for that reviewer; what they record leaves it as it was.
    await r.open(USERS.reviewer2, id, 'card.record_answers');
    const form = JSON.stringify(r.modal(USERS.reviewer2).view);
    expect(form).not.toContain('ivy.impoc.5e1b');
    expect(form).toContain('Firewalls and IDS.');
    expect(form).toContain('An answer is on file. Leave this empty to keep it.');
    await r.submit(USERS.reviewer2, { 'answer.Q01': input.text('Firewalls, IDS and segmentation.') });
    await h.settle();
    const stored = await database.db.select().from(questionnaireAnswers).where(eq(questionnaireAnswers.applicationId, id));
    expect(Object.fromEntries(stored.map((a) => [a.questionId, a.answer]))).toEqual({
      Q01: 'Firewalls, IDS and segmentation.',
      Q14: impoc,
    });
    await r.open(USERS.reviewer, id, 'card.record_answers');
    expect(JSON.stringify(r.modal(USERS.reviewer).view)).toContain(impoc);
  });

  it('a gap verdict without a description is a field error under that answer', async () => {
    const { id, body } = await inStage2();
    await r.click(USERS.reviewer, id, 'card.send_questionnaire');
    await h.settle();
    await h.intake({ ...body, questionnaireAnswers: [{ questionId: 'Q02', answer: 'Shared admin account.' }] });
    await h.settle();
    await r.click(USERS.reviewer, id, 'card.review_answers');
    await expect.poll(() => r.modal(USERS.reviewer).view.callback_id).toBe('review_answers');
    const answer = await r.submit(USERS.reviewer, { 'verdict.Q02': input.select('gap:critical') });
    expect(answer.json).toMatchObject({
      response_action: 'errors',
      errors: { 'note.Q02': expect.stringContaining('Say what is missing') },
    });
  });
});
