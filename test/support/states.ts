import { loadQuestionnaire } from '../../src/questionnaire/questionnaire.ts';
import { canaryApplication } from './canaries.ts';
import { type Harness, USERS } from './harness.ts';
import { openModal } from './open-modal.ts';
import { ALL_PASS, input, inputMore, type reviewer, values } from './reviewer.ts';

/**
 * Every state a card action or modal needs, reached through the real flows (intake, card
 * buttons, modals) as reviewers do. The instants assume the harness clock stands at
 * START (a Monday); the architect persona works in America/Los_Angeles.
 */
export const START = '2026-03-02T09:00:00Z';
/** 10:00 in Los Angeles on Tuesday 2026-03-03: inside the architect's working hours. */
export const MEETING_AT = new Date('2026-03-03T18:00:00Z');

export type Setup =
  | 'fresh'
  | 'rejected'
  | 'stage2'
  | 'gap'
  | 'sent'
  | 'answered'
  | 'accepted'
  | 'stage3'
  | 'scheduled'
  | 'clarification'
  | 'approved'
  | 'live'
  | 'audit'
  | 'remediation'
  | 'suspended';

const QUESTION_IDS = loadQuestionnaire().questions.map((q) => q.id);

/**
 * The meeting lies a day after START, and an outcome before a meeting's start is refused
 * unless it was held early: the states say so rather than move the shared clock.
 */
export const HELD_EARLY = { held_early: inputMore.checkboxes(['held_early']) };

export const meetingFields = (at: Date = MEETING_AT) => ({
  architect: input.user(USERS.architect),
  starts_at: inputMore.dateTime(at),
  duration: input.select('60'),
  agenda: input.text('Walk through the PII data flows.'),
});

/** The option values a modal offers in one of its inputs (open gaps, questions, remediation items…). */
export function optionsOf(view: { blocks?: unknown }, blockId: string): string[] {
  const blocks = (view.blocks ?? []) as { block_id?: string; element?: { options?: { value: string }[] } }[];
  return blocks.find((b) => b.block_id === blockId)?.element?.options?.map((o) => o.value) ?? [];
}

/** Brings a new application (its own profile) to `setup`; answers its id. */
export async function prepare(h: Harness, reviewerHelpers: ReturnType<typeof reviewer>, setup: Setup): Promise<number> {
  const body = canaryApplication();
  const id = (await h.intake(body)).json.id as number;
  await h.settle();
  // As reviewer().decide, without its 50 ms polling: the properties prepare hundreds of applications.
  const r = {
    ...reviewerHelpers,
    async decide(user: string, applicationId: number, actionId: string, fields: Record<string, unknown>) {
      const view = await openModal(h, reviewerHelpers, { action: actionId }, user, applicationId);
      if (!view)
        throw new Error(
          `${actionId} did not open for ${user} on #${applicationId}: ${reviewerHelpers.ephemeralsFor(user).at(-1)}`,
        );
      await h.slack.viewSubmission({ user, viewId: view.id, values: values(fields) });
      await h.settle();
    },
  };
  const steps: Record<Exclude<Setup, 'fresh'>, { after: Setup; run: () => Promise<unknown> }> = {
    rejected: {
      after: 'fresh',
      run: () =>
        r.decide(USERS.admin, id, 'card.business_review', {
          ...ALL_PASS,
          'criterion.use_case': input.radio('fail'),
          decision: input.radio('reject'),
          denial_text: input.text('Final.'),
        }),
    },
    stage2: {
      after: 'fresh',
      run: () => r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') }),
    },
    gap: {
      after: 'stage2',
      run: () =>
        r.decide(USERS.reviewer, id, 'card.record_gap', {
          area: input.select('privacy_policy'),
          severity: input.select('low'),
          description: input.text('Hosted on a free blog.'),
        }),
    },
    sent: { after: 'stage2', run: () => r.click(USERS.reviewer, id, 'card.send_questionnaire').then(() => h.settle()) },
    answered: {
      after: 'sent',
      run: async () => {
        await h.intake({
          ...body,
          questionnaireAnswers: QUESTION_IDS.map((questionId) => ({ questionId, answer: `A ${questionId}` })),
        });
        await h.settle();
      },
    },
    accepted: {
      after: 'answered',
      run: () =>
        r.decide(
          USERS.reviewer,
          id,
          'card.review_answers',
          Object.fromEntries(QUESTION_IDS.map((q) => [`verdict.${q}`, input.select('accept')])),
        ),
    },
    stage3: { after: 'accepted', run: () => r.click(USERS.reviewer, id, 'card.pass_security').then(() => h.settle()) },
    scheduled: { after: 'stage3', run: () => r.decide(USERS.reviewer, id, 'card.schedule_review', meetingFields()) },
    clarification: {
      after: 'scheduled',
      run: () =>
        r.decide(USERS.architect, id, 'card.record_outcome', {
          outcome: input.radio('clarification'),
          questions: input.text('Show the KMS key policy.\nWhere are labels stored?'),
          ...HELD_EARLY,
        }),
    },
    approved: {
      after: 'scheduled',
      run: () => r.decide(USERS.architect, id, 'card.record_outcome', { outcome: input.radio('approved'), ...HELD_EARLY }),
    },
    live: {
      after: 'approved',
      run: () => r.decide(USERS.reviewer, id, 'card.record_go_live', { production_since: inputMore.date('2026-03-02') }),
    },
    audit: {
      after: 'live',
      run: () =>
        // Dated today, so its outcome can be recorded without moving the clock.
        r.decide(USERS.reviewer, id, 'card.schedule_audit', {
          auditor: input.select('Deloitte'),
          scheduled_for: inputMore.date(START.slice(0, 10)),
        }),
    },
    remediation: {
      after: 'audit',
      run: () =>
        r.decide(USERS.reviewer, id, 'card.record_audit_outcome', {
          outcome: input.radio('remediation'),
          'item.1': input.text('Rotate LWA secrets.'),
          'due.1': inputMore.date('2026-07-01'),
          'item.2': input.text('Add IDS to the VPC.'),
          'due.2': inputMore.date('2026-07-15'),
        }),
    },
    suspended: {
      after: 'approved',
      run: () =>
        r.decide(USERS.admin, id, 'admin:suspend_access', {
          reason: input.radio('incident_reported'),
          note: input.text('Incident under review.'),
        }),
    },
  };
  const path: Exclude<Setup, 'fresh'>[] = [];
  for (let s = setup; s !== 'fresh'; s = steps[s].after) path.unshift(s);
  for (const s of path) await steps[s].run();
  return id;
}
