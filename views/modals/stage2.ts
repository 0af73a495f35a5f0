import type { Questionnaire } from '../../src/questionnaire/questionnaire.ts';
import { CONTROL_AREAS, controlArea, SEVERITIES } from '../../src/workflow/controls.ts';
import { escapeMrkdwn, truncate } from '../format.ts';
import { LIMITS } from '../limits.ts';
import type { ApplicationSummary, Block } from '../types.ts';
import { about, CALLBACKS, type Choice, context, modal, section, selectInput, textInput } from './kit.ts';

export type GapItem = { id: number; area: string; severity: string; description: string };
export type AnswerItem = { questionId: string; answer: string; review: string };

export const GAP_DESCRIPTION_MAX = 2000;
export const MESSAGE_MAX = 3000;

const AREA_CHOICES: Choice[] = CONTROL_AREAS.map((a) => ({ value: a.id, text: a.label }));
const SEVERITY_CHOICES: Choice[] = SEVERITIES.map((s) => ({ value: s, text: s[0]?.toUpperCase() + s.slice(1) }));
const areaLabel = (id: string) => controlArea(id)?.label ?? id;

/** The gap modal offers the developer's free-form security answers, so a gap can name the one it is about. */
export function recordGapModal(app: ApplicationSummary, securityAnswers: readonly { topic: string; answer: string }[] = []) {
  return modal({
    callbackId: CALLBACKS.recordGap,
    title: 'Record gap',
    submit: 'Record gap',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      selectInput('area', 'Control area', AREA_CHOICES),
      selectInput('severity', 'Severity', SEVERITY_CHOICES, { initial: 'medium' }),
      textInput('description', 'What is missing or wrong', { multiline: true, max: GAP_DESCRIPTION_MAX }),
      ...(securityAnswers.length > 0
        ? [
            selectInput(
              'security_answer',
              'Security answer it is about',
              securityAnswers.slice(0, LIMITS.selectOptions).map((a, i) => ({
                value: String(i + 1),
                text: `${i + 1}. ${a.topic.replace(/\s+/g, ' ')}`,
              })),
              { optional: true, placeholder: 'None in particular', hint: 'Read them all with View submission on the card.' },
            ),
          ]
        : []),
    ],
  });
}

export function resolveGapModal(app: ApplicationSummary, open: readonly GapItem[]) {
  return modal({
    callbackId: CALLBACKS.resolveGap,
    title: 'Resolve gap',
    submit: 'Resolve',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      selectInput(
        'gap',
        'Open gap',
        open.map((g) => ({
          value: String(g.id),
          text: `${areaLabel(g.area)} · ${g.severity}: ${g.description.replace(/\s+/g, ' ')}`,
        })),
        { initial: open.length === 1 ? String(open[0]?.id) : undefined },
      ),
      textInput('resolution', 'How it was resolved', { multiline: true, max: GAP_DESCRIPTION_MAX }),
    ],
  });
}

/** The information request, prefilled with the open gaps and what reviewers look for in each area. */
export function informationRequestText(open: readonly GapItem[]): string {
  if (open.length === 0) return 'Please tell us more about the security controls of your application:\n';
  const lines = open.map((g) => {
    const area = controlArea(g.area);
    return `- ${area?.label ?? g.area}: ${g.description.trim()}${area ? ` (we look for ${area.expects})` : ''}`;
  });
  return truncate(
    `To continue the review, please answer the following about your security controls:\n${lines.join('\n')}\n`,
    MESSAGE_MAX,
  );
}

export function requestInformationModal(app: ApplicationSummary, open: readonly GapItem[], round: number) {
  return modal({
    callbackId: CALLBACKS.requestInformation,
    title: 'Request information',
    submit: 'Record as sent',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      context(`Round ${round}. The application waits on the developer until their update arrives through intake.`),
      textInput('message', 'Message to the developer', {
        multiline: true,
        initial: informationRequestText(open),
        max: MESSAGE_MAX,
      }),
    ],
  });
}

export function recordAnswersModal(app: ApplicationSummary, q: Questionnaire, answers: readonly AnswerItem[]) {
  const current = new Map(answers.map((a) => [a.questionId, a.answer]));
  return modal({
    callbackId: CALLBACKS.recordAnswers,
    title: 'Record answers',
    submit: 'Record answers',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      context(
        `Paste the developer's answers to questionnaire v${escapeMrkdwn(q.version)}. Leave a question empty if it was not answered.`,
      ),
      ...q.questions.map((question) =>
        textInput(`answer.${question.id}`, `${question.id} · ${areaLabel(question.area)}`, {
          multiline: true,
          optional: true,
          max: 3000,
          initial: current.get(question.id),
          hint: question.text,
        }),
      ),
    ],
  });
}

const VERDICTS: Choice[] = [
  { value: 'accept', text: 'Accept' },
  ...SEVERITIES.map((s) => ({ value: `gap:${s}`, text: `Raise a ${s} gap` })),
];

/** One block group per answer waiting for review: the question, the answer, the verdict and a note. */
export function reviewAnswersModal(app: ApplicationSummary, q: Questionnaire, pending: readonly AnswerItem[]) {
  const questions = new Map(q.questions.map((question) => [question.id, question]));
  return modal({
    callbackId: CALLBACKS.reviewAnswers,
    title: 'Review answers',
    submit: 'Record review',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      context('Accept each answer, or raise a gap (filed under the question’s control area) and say what is missing.'),
      ...pending.flatMap((a): Block[] => {
        const question = questions.get(a.questionId);
        return [
          { type: 'divider' },
          section(
            `*${escapeMrkdwn(a.questionId)}* ${escapeMrkdwn(question?.text ?? '')}\n>${escapeMrkdwn(truncate(a.answer, 2500)).replace(/\n/g, '\n>')}`,
          ),
          selectInput(`verdict.${a.questionId}`, `Verdict on ${a.questionId}`, VERDICTS, {
            optional: true,
            placeholder: 'Leave for later',
          }),
          textInput(`note.${a.questionId}`, `Gap on ${a.questionId} (if raised)`, {
            optional: true,
            multiline: true,
            max: GAP_DESCRIPTION_MAX,
          }),
        ];
      }),
    ],
  });
}
