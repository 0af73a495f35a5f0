import { BUSINESS_CRITERIA } from '../../src/workflow/controls.ts';
import { escapeMrkdwn, websiteLink } from '../format.ts';
import { textSections } from '../split.ts';
import type { ApplicationSummary, Block } from '../types.ts';
import { about, CALLBACKS, type Choice, context, modal, radioInput, section, textInput } from './kit.ts';

const PASS_FAIL: Choice[] = [
  { value: 'pass', text: 'Pass' },
  { value: 'fail', text: 'Fail' },
];

export const CRITERION_NOTE_MAX = 500;
export const DENIAL_MAX = 3000;

/** Stage 1: each criterion passes or fails, with a note; then advance or reject (with the denial text). */
export function businessReviewModal(
  app: ApplicationSummary,
  denial: { version: number; body: string },
  profile: { useCase: string; businessDescription?: string | undefined },
  /** The criteria of the application's track (all when absent). */
  criteria?: readonly string[],
  /** In a role review: what passing leads to (the added roles approved, or the next stage). */
  roleReview?: { advance: string },
) {
  const blocks: Block[] = [
    about(app),
    section(
      `*Website*: ${websiteLink(app.website)}\n*Regions*: ${app.marketplaces.map(escapeMrkdwn).join(', ')} · *Launch readiness*: ${escapeMrkdwn(app.launchReadiness.replace(/_/g, ' '))} · *Developer*: ${app.developerType}`,
    ),
    // Within limits at the schema's maximum (2000 + 500 characters): at most a few sections.
    ...textSections('Use case', profile.useCase),
    ...(profile.businessDescription ? textSections('Business description', profile.businessDescription) : []),
    ...BUSINESS_CRITERIA.filter((c) => !criteria || criteria.includes(c.id)).flatMap((c) => [
      radioInput(`criterion.${c.id}`, c.label, PASS_FAIL),
      textInput(`note.${c.id}`, `Note on ${c.label.toLowerCase()}`, { optional: true, max: CRITERION_NOTE_MAX }),
    ]),
    { type: 'divider' },
    radioInput(
      'decision',
      roleReview ? 'Decision on the added roles' : 'Decision',
      roleReview
        ? [
            { value: 'advance', text: roleReview.advance, description: 'Every criterion passes' },
            {
              value: 'reject',
              text: 'Deny the added roles',
              description: 'The application stays approved with its earlier roles',
            },
          ]
        : [
            { value: 'advance', text: 'Advance to Stage 2', description: 'Every criterion passes' },
            { value: 'reject', text: 'Reject', description: 'At least one criterion fails; final' },
          ],
    ),
    textInput('denial_text', 'Denial text sent to the developer (on reject)', {
      multiline: true,
      optional: true,
      initial: denial.body,
      max: DENIAL_MAX,
      hint: 'The general wording names no specific reason. Edit it only if you must; it is stored as sent.',
    }),
    context(`Denial template v${denial.version}. Admins edit it with \`/pii template denial\`.`),
  ];
  return modal({
    callbackId: CALLBACKS.businessReview,
    title: 'Business review',
    submit: 'Record decision',
    meta: { id: app.id, v: app.version },
    blocks,
  });
}
