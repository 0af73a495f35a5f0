import type { FakeClock } from '../../src/clock.ts';
import { loadQuestionnaire } from '../../src/questionnaire/questionnaire.ts';
import { applicationBody } from './fixtures.ts';
import { type Harness, USERS } from './harness.ts';
import { ALL_PASS, input, inputMore, type reviewer } from './reviewer.ts';

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

/**
 * Approves an application in Stage 3 the way the team does: a reviewer schedules the
 * architecture review with the architect at `meetingAt` (an hour), and once it has been held
 * (the clock an hour later) the architect records it approved.
 */
export async function approveInStage3(r: ReturnType<typeof reviewer>, clock: FakeClock, id: number, meetingAt: Date) {
  await r.decide(USERS.reviewer, id, 'card.schedule_review', {
    architect: input.user(USERS.architect),
    starts_at: inputMore.dateTime(meetingAt),
    duration: input.select('60'),
    agenda: input.text('Walk through the PII data flows.'),
  });
  clock.set(new Date(meetingAt.getTime() + 3_600_000));
  await r.decide(USERS.architect, id, 'card.record_outcome', { outcome: input.radio('approved') });
}
