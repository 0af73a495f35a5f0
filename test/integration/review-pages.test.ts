import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, questionnaireAnswers } from '../../db/schema.ts';
import type { Questionnaire } from '../../src/questionnaire/questionnaire.ts';
import { blockKitProblems } from '../../views/validate.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { type Harness, startHarness, USERS } from '../support/harness.ts';
import { ALL_PASS, input, reviewer } from '../support/reviewer.ts';

/** Slack refuses a modal of more than 100 blocks (SLACK.md, Block Kit limits). */
const MODAL_BLOCKS_MAX = 100;
/** The most questions a questionnaire file may hold (questionnaireSchema), each at its longest. */
const QUESTIONS = 30;
const LONGEST: Questionnaire = {
  version: 'long-30',
  title: 'Thirty questions',
  maxAnswerChars: 3000,
  questions: Array.from({ length: QUESTIONS }, (_, i) => ({
    id: `Q${String(i + 1).padStart(2, '0')}`,
    area: 'network_protection' as const,
    text: `${'Describe your network protection in detail. '.repeat(22)}`.slice(0, 1000),
  })),
};
const IDS = LONGEST.questions.map((q) => q.id);

let database: TestDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database, { questionnaire: LONGEST });
  r = reviewer(h);
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});
beforeEach(async () => {
  await h.reset();
});

type View = { blocks: { block_id?: string }[] };
const verdictIds = (view: View) =>
  view.blocks.flatMap((b) => (b.block_id?.startsWith('verdict.') ? [b.block_id.slice('verdict.'.length)] : []));

async function answeredThirty() {
  const body = applicationBody();
  const id = (await h.intake(body)).json.id as number;
  await h.settle();
  await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
  await r.click(USERS.reviewer, id, 'card.send_questionnaire');
  await h.settle();
  const answers = IDS.map((questionId) => ({ questionId, answer: `${questionId} `.padEnd(3000, 'x') }));
  expect((await h.intake({ ...body, questionnaireAnswers: answers })).status).toBe(200);
  await h.settle();
  return id;
}

describe('Review answers of a 30-question questionnaire', () => {
  it('pages itself inside Slack’s 100 blocks, and "Accept all remaining" accepts the rest', async () => {
    const id = await answeredThirty();
    const viewId = await r.open(USERS.reviewer, id, 'card.review_answers');
    const first = r.modal(USERS.reviewer).view as unknown as View;
    expect(first.blocks.length).toBeLessThanOrEqual(MODAL_BLOCKS_MAX);
    expect(blockKitProblems('modal', first as never)).toEqual([]);
    expect(verdictIds(first)).toEqual(IDS.slice(0, 15));

    // Five judged, ten left for later: the next page still starts after all fifteen shown.
    const page = await r.submit(
      USERS.reviewer,
      Object.fromEntries(IDS.slice(0, 5).map((q) => [`verdict.${q}`, input.select('accept')])),
      viewId,
    );
    await h.settle();
    expect(page.json).toMatchObject({ response_action: 'update' });
    const second = (page.json as { view: View }).view;
    expect(second.blocks.length).toBeLessThanOrEqual(MODAL_BLOCKS_MAX);
    expect(blockKitProblems('modal', second as never)).toEqual([]);
    expect(verdictIds(second)).toEqual(IDS.slice(15));

    // Accept all remaining, from a fresh Review answers (after Slack's confirm dialog).
    const again = await r.open(USERS.reviewer, id, 'card.review_answers');
    const bulk = (
      r.modal(USERS.reviewer).view as unknown as { blocks: { block_id?: string; elements?: unknown[] }[] }
    ).blocks.find((b) => b.block_id === 'review_answers.bulk');
    expect(JSON.stringify(bulk)).toContain('Accept all remaining (25)');
    expect(JSON.stringify(bulk)).toContain('"confirm"');
    await h.slack.viewAction({
      user: USERS.reviewer,
      viewId: again,
      action: { actionId: 'review_answers.accept_all', blockId: 'review_answers.bulk', value: '' },
    });
    await h.settle();
    await expect
      .poll(async () =>
        (await database.db.select().from(questionnaireAnswers).where(eq(questionnaireAnswers.applicationId, id))).every(
          (a) => a.review === 'accepted',
        ),
      )
      .toBe(true);
    // The click is acknowledged before the decision runs: wait for its view update, then deliver its effects.
    await expect.poll(() => JSON.stringify(h.emulator.state.views.get(again)?.view)).toContain('Accepted 25 answer(s)');
    await h.settle();
    expect(r.buttons(id)).toContain('card.pass_security');
    expect(r.threadOf(id).at(-1)).toContain('accepted Q06');
  });

  it('records every page: page 2 is no repeat of page 1, though Slack keeps the view id', async () => {
    const id = await answeredThirty();
    const viewId = await r.open(USERS.reviewer, id, 'card.review_answers');
    const accept = (ids: string[]) => Object.fromEntries(ids.map((q) => [`verdict.${q}`, input.select('accept')]));
    const first = await r.submitAndFollow(USERS.reviewer, accept(IDS.slice(0, 15)), viewId);
    expect(first.json).toMatchObject({ response_action: 'update' });
    await h.settle();
    expect(verdictIds(r.modal(USERS.reviewer).view as unknown as View)).toEqual(IDS.slice(15));
    expect(r.modal(USERS.reviewer).id).toBe(viewId);

    const second = await r.submit(USERS.reviewer, accept(IDS.slice(15)), viewId);
    await h.settle();
    expect(second.text).toBe('');
    const rows = await database.db.select().from(questionnaireAnswers).where(eq(questionnaireAnswers.applicationId, id));
    expect(
      rows
        .filter((a) => a.review === 'accepted')
        .map((a) => a.questionId)
        .sort(),
    ).toEqual(IDS);
    expect(r.buttons(id)).toContain('card.pass_security');

    // Slack sending page 2 again (a double click, a retry) changes nothing and tells nothing.
    const events = r.threadOf(id).length;
    const repeat = await r.submit(USERS.reviewer, accept(IDS.slice(15)), viewId);
    await h.settle();
    expect(repeat.text).toBe('');
    expect(r.threadOf(id)).toHaveLength(events);
    expect(r.ephemeralsFor(USERS.reviewer)).toEqual([]);
  });

  it('records the re-judge page that "Accept all remaining" puts into a modal whose page 1 was recorded', async () => {
    const id = await answeredThirty();
    const viewId = await r.open(USERS.reviewer, id, 'card.review_answers');
    await r.submitAndFollow(
      USERS.reviewer,
      { 'verdict.Q01': input.select('gap:high'), 'note.Q01': input.text('No firewall named') },
      viewId,
    );
    await h.settle();
    await h.slack.viewAction({
      user: USERS.reviewer,
      viewId,
      action: { actionId: 'review_answers.accept_all', blockId: 'review_answers.bulk', value: '' },
    });
    await expect.poll(() => verdictIds(h.emulator.state.views.get(viewId)?.view as unknown as View)).toEqual(['Q01']);
    await h.settle();

    const rejudged = await r.submit(USERS.reviewer, { 'verdict.Q01': input.select('accept_resolve') }, viewId);
    await h.settle();
    expect(rejudged.text).toBe('');
    const rows = await database.db.select().from(questionnaireAnswers).where(eq(questionnaireAnswers.applicationId, id));
    expect(rows.every((a) => a.review === 'accepted')).toBe(true);
    expect(r.buttons(id)).toContain('card.pass_security');
  });

  it('refuses "Accept all remaining" from a modal opened on an older version', async () => {
    const id = await answeredThirty();
    const stale = await r.open(USERS.reviewer, id, 'card.review_answers');
    await r.decide(USERS.reviewer2, id, 'card.review_answers', { 'verdict.Q01': input.select('accept') });
    await h.slack.viewAction({
      user: USERS.reviewer,
      viewId: stale,
      action: { actionId: 'review_answers.accept_all', blockId: 'review_answers.bulk', value: '' },
    });
    await expect.poll(() => r.ephemeralsFor(USERS.reviewer).join('\n')).toContain(`<@${USERS.reviewer2}>`);
    const accepted = (
      await database.db.select().from(questionnaireAnswers).where(eq(questionnaireAnswers.applicationId, id))
    ).filter((a) => a.review === 'accepted');
    expect(accepted.map((a) => a.questionId)).toEqual(['Q01']);
    expect((await database.db.select().from(applications).where(eq(applications.id, id)))[0]?.status).toBe('in_review');
  });
});
