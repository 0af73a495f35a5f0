import type { ActionsBlock, PlainTextElement } from '@slack/types';
import type { Questionnaire } from '../../src/questionnaire/questionnaire.ts';
import { CONTROL_AREAS, controlArea, SEVERITIES } from '../../src/workflow/controls.ts';
import { escapeMrkdwn, truncate } from '../format.ts';
import { LIMITS } from '../limits.ts';
import type { ApplicationSummary, Block } from '../types.ts';
import {
  about,
  CALLBACKS,
  type Choice,
  CONTACT_ANSWER_WITHHELD,
  context,
  modal,
  section,
  selectInput,
  textInput,
} from './kit.ts';

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
      context(
        `Round ${round}. The application waits on the developer until their update arrives through intake, or a reviewer records their reply (Developer replied).`,
      ),
      textInput('message', 'Message to the developer', {
        multiline: true,
        initial: informationRequestText(open),
        max: MESSAGE_MAX,
      }),
    ],
  });
}

/**
 * The answers, one input each, prefilled with those on file. An answer that is contact data is
 * prefilled only for a viewer who may read contact data (`showContact`); anyone else sees that
 * one is on file, and leaving the input empty keeps it (empty inputs record nothing).
 */
export function recordAnswersModal(
  app: ApplicationSummary,
  q: Questionnaire,
  answers: readonly AnswerItem[],
  showContact: boolean,
) {
  const current = new Map(answers.map((a) => [a.questionId, a.answer]));
  const withheld = (question: Questionnaire['questions'][number]) =>
    Boolean(question.contact && !showContact && current.has(question.id));
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
          ...(withheld(question)
            ? {
                placeholder: 'An answer is on file. Leave this empty to keep it.',
                hint: `${question.text}\n${CONTACT_ANSWER_WITHHELD} What you paste here replaces it.`,
              }
            : { initial: current.get(question.id), hint: question.text }),
        }),
      ),
    ],
  });
}

const VERDICTS: Choice[] = [
  { value: 'accept', text: 'Accept' },
  ...SEVERITIES.map((s) => ({ value: `gap:${s}`, text: `Raise a ${s} gap` })),
];
/** An answer judged a gap can only be accepted now, and accepting offers to resolve the gap it raised. */
const REJUDGE: Choice[] = [
  { value: 'accept_resolve', text: 'Accept and resolve its gap' },
  { value: 'accept', text: 'Accept; keep its gap open' },
];

/** Answers per page: 4 blocks each plus 4 around them keeps a page far inside Slack's 100 blocks per modal. */
export const REVIEW_PAGE_SIZE = 15;
export const ACCEPT_ALL_ACTION = 'review_answers.accept_all';

/** What Review answers offers: answers waiting for review, then those judged a gap; by question id. */
export function reviewableAnswers(answers: readonly AnswerItem[]): AnswerItem[] {
  const order = (a: AnswerItem) => (a.review === 'pending' ? 0 : 1);
  return answers
    .filter((a) => a.review === 'pending' || a.review === 'gap')
    .sort((x, y) => order(x) - order(y) || x.questionId.localeCompare(y.questionId));
}

/**
 * One page of answers to judge: the question, the answer, the verdict and a note. A page
 * starts after the answers `done` (those shown on earlier pages); recording it opens the next.
 */
export function reviewAnswersModal(
  app: ApplicationSummary,
  q: Questionnaire,
  answers: readonly AnswerItem[],
  showContact: boolean,
  done: ReadonlySet<string> = new Set(),
) {
  const questions = new Map(q.questions.map((question) => [question.id, question]));
  const all = reviewableAnswers(answers);
  const rest = all.filter((a) => !done.has(a.questionId));
  const page = rest.slice(0, REVIEW_PAGE_SIZE);
  const pending = all.filter((a) => a.review === 'pending').length;
  const later = rest.length - page.length;
  return modal({
    callbackId: CALLBACKS.reviewAnswers,
    title: 'Review answers',
    submit: later > 0 ? 'Record, next page' : 'Record review',
    meta: { id: app.id, v: app.version, ...(done.size > 0 ? { done: [...done] } : {}) },
    blocks: [
      about(app),
      context(
        `Accept each answer, or raise a gap (filed under the question’s control area) and say what is missing.${later > 0 ? ` ${page.length} of ${rest.length} shown; the next ${later} open after you record these.` : ''}`,
      ),
      ...(pending > 0 ? [acceptAllBlock(app, pending)] : []),
      ...page.flatMap((a): Block[] => {
        const question = questions.get(a.questionId);
        // A contact answer (an IMPOC's name and e-mail) is judged by whether it was given; its text is for those who may read it.
        const answer =
          question?.contact && !showContact
            ? `_${CONTACT_ANSWER_WITHHELD}_`
            : `>${escapeMrkdwn(truncate(a.answer, 2500)).replace(/\n/g, '\n>')}`;
        const head = section(
          `*${escapeMrkdwn(a.questionId)}*${a.review === 'gap' ? ' _(judged a gap)_' : ''} ${escapeMrkdwn(question?.text ?? '')}\n${answer}`,
        );
        if (a.review === 'gap')
          return [
            { type: 'divider' },
            head,
            selectInput(`verdict.${a.questionId}`, `Re-judge ${a.questionId}`, REJUDGE, {
              optional: true,
              placeholder: 'Leave as a gap',
            }),
          ];
        return [
          { type: 'divider' },
          head,
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

const plainText = (text: string): PlainTextElement => ({ type: 'plain_text', text });

/** One click accepts every answer still pending, on every page, after a confirm. */
function acceptAllBlock(app: ApplicationSummary, pending: number): ActionsBlock {
  return {
    type: 'actions',
    block_id: 'review_answers.bulk',
    elements: [
      {
        type: 'button',
        action_id: ACCEPT_ALL_ACTION,
        text: plainText(`Accept all remaining (${pending})`),
        value: `${app.id}:${app.version}`,
        confirm: {
          title: plainText('Accept every remaining answer?'),
          text: plainText(
            `All ${pending} answer(s) still waiting for review are accepted, on every page. Verdicts chosen here but not recorded are dropped; answers judged a gap stay as they are.`,
          ),
          confirm: plainText('Accept all'),
          deny: plainText('Cancel'),
        },
      },
    ],
  };
}
