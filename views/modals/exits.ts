import { CONTROL_AREAS } from '../../src/workflow/controls.ts';
import type { ApplicationSummary } from '../types.ts';
import { about, type Choice, context, modal, multiSelectInput, selectInput, textInput } from './kit.ts';

/** The ways out of a stage that are not its pass: the developer's reply, a denial, a skipped step. */
export const EXIT_CALLBACKS = {
  developerReplied: 'developer_replied',
  denySecurity: 'deny_security',
  denyArchitecture: 'deny_architecture',
  skipQuestionnaire: 'skip_questionnaire',
} as const;

export const SUMMARY_MAX = 1000;
export const EVIDENCE_URL_MAX = 2000;
export const DENIAL_MAX = 3000;
export const REASON_NOTE_MAX = 2000;

const oneLine = (text: string) => text.replace(/\s+/g, ' ');

/** "Developer replied": the reply came by e-mail or the portal; the round closes and review resumes. */
export function developerRepliedModal(
  app: ApplicationSummary,
  open: { kind: 'gaps' | 'questions'; items: readonly { id: number; text: string }[] },
) {
  const choices: Choice[] = open.items.map((i) => ({ value: String(i.id), text: oneLine(i.text) }));
  return modal({
    callbackId: EXIT_CALLBACKS.developerReplied,
    title: 'Developer replied',
    submit: 'Record reply',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      context(
        'Record a reply that came outside intake (e-mail, the portal). The application goes back to review. The summary and link stay private: they are not posted in the channel.',
      ),
      textInput('summary', 'What the developer said, in short', { multiline: true, max: SUMMARY_MAX }),
      textInput('evidence_url', 'Evidence link', {
        optional: true,
        max: EVIDENCE_URL_MAX,
        placeholder: 'https://…',
        hint: 'A document or ticket the developer shared; a full https:// link.',
      }),
      ...(choices.length > 0
        ? [
            multiSelectInput('addresses', `Open ${open.kind} it addresses`, choices, {
              optional: true,
              hint:
                open.kind === 'gaps'
                  ? 'Gaps stay open until a reviewer resolves them.'
                  : 'Questions stay open until marked answered.',
            }),
          ]
        : []),
    ],
  });
}

const AREA_CHOICES: Choice[] = CONTROL_AREAS.map((a) => ({ value: a.id, text: a.label }));

/** A denial at Stage 2 or 3: the general text as in Stage 1, and an internal reason that is never sent. */
export function denyModal(
  app: ApplicationSummary,
  stage: 'security' | 'architecture',
  denial: { version: number; body: string },
) {
  return modal({
    callbackId: stage === 'security' ? EXIT_CALLBACKS.denySecurity : EXIT_CALLBACKS.denyArchitecture,
    title: stage === 'security' ? 'Deny at Stage 2' : 'Deny at Stage 3',
    submit: 'Deny application',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      context('Final: the application is rejected. The developer may address the reason and resubmit.'),
      textInput('denial_text', 'Denial text sent to the developer', {
        multiline: true,
        initial: denial.body,
        max: DENIAL_MAX,
        hint: 'The general wording names no specific reason. It is stored as sent.',
      }),
      context(`Denial template v${denial.version}. The reason below is never sent and never posted.`),
      selectInput('reason_area', 'Internal reason: control area', AREA_CHOICES, { optional: true }),
      textInput('reason_note', 'Internal reason: note', {
        multiline: true,
        optional: true,
        max: REASON_NOTE_MAX,
        hint: 'A control area, a note, or both. Kept for the team only.',
      }),
    ],
  });
}

/** Private track: the questionnaire may be skipped, with the reason recorded. */
export function skipQuestionnaireModal(app: ApplicationSummary) {
  return modal({
    callbackId: EXIT_CALLBACKS.skipQuestionnaire,
    title: 'Skip questionnaire',
    submit: 'Skip it',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      context('Private developers have a streamlined review: the security questionnaire may be skipped.'),
      textInput('reason', 'Why it is not needed', { multiline: true, max: 2000 }),
    ],
  });
}
