import { loadQuestionnaire } from '../../src/questionnaire/questionnaire.ts';
import { applicationBody } from './fixtures.ts';
import { type Harness, USERS } from './harness.ts';
import { ALL_PASS, input, type reviewer } from './reviewer.ts';

const QUESTION_IDS = loadQuestionnaire().questions.map((q) => q.id);

/** Takes a new application through Stages 1 and 2 the way reviewers do; answers its id and intake body. */
export async function toStage3(h: Harness, r: ReturnType<typeof reviewer>, overrides: Record<string, unknown> = {}) {
  const body = applicationBody(overrides);
  const id = (await h.intake(body)).json.id as number;
  await h.settle();
  await fromStage1ToStage3(h, r, id, body);
  return { id, body };
}

/** Takes an application received through intake from Stage 1 through Stage 2, as toStage3 does. */
export async function fromStage1ToStage3(h: Harness, r: ReturnType<typeof reviewer>, id: number, body: Record<string, unknown>) {
  await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
  await r.click(USERS.reviewer, id, 'card.send_questionnaire');
  await h.settle();
  await h.intake({
    ...body,
    questionnaireAnswers: QUESTION_IDS.map((questionId) => ({ questionId, answer: `Answer ${questionId}` })),
  });
  await h.settle();
  await r.decide(
    USERS.reviewer,
    id,
    'card.review_answers',
    Object.fromEntries(QUESTION_IDS.map((q) => [`verdict.${q}`, input.select('accept')])),
  );
  await r.click(USERS.reviewer, id, 'card.pass_security');
  await h.settle();
}
