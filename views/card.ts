import type { ActionsBlockElement, Button, MrkdwnElement, PlainTextElement } from '@slack/types';
import { SEVERITIES } from '../src/workflow/controls.ts';
import type { CommandType } from '../src/workflow/rules.ts';
import { STAGE_LABELS, STATUS_LABELS } from '../src/workflow/states.ts';
import { TRACK_LABELS } from '../src/workflow/tracks.ts';
import { lateFields } from './card-late.ts';
import { CYCLE_ACTIONS, cycleField, roleFields } from './cycles.ts';
import { applicationRef, escapeMrkdwn, fitMrkdwn, slackDate, truncate, userMention, websiteLink } from './format.ts';
import { LIMITS } from './limits.ts';
import type { Block, CardModel, MessageView } from './types.ts';

/** Action ids of the card. A button's value is `<application id>:<version seen>`. */
export const CARD_ACTIONS = {
  showStatus: 'card.status',
  viewSubmission: 'card.submission',
  admin: 'card.admin',
} as const;

export const cardActionId = (command: CommandType) => `card.${command}`;
export const cardValue = (card: { id: number; version: number }) => `${card.id}:${card.version}`;

/** The website is shown as its own link; a long URL is cut in the label only, never in the link. */

const LAUNCH_LABELS: Record<string, string> = {
  in_development: 'In development',
  beta: 'Beta',
  in_production: 'In production',
};

type ButtonSpec = { text: string; style?: 'primary' | 'danger'; confirm?: { title: string; text: string; confirm: string } };

/** The card's buttons, in the order a reviewer meets them. Admin-only commands live in the overflow. */
const BUTTONS: Partial<Record<CommandType, ButtonSpec>> = {
  claim: { text: 'Claim', style: 'primary' },
  business_review: { text: 'Business review', style: 'primary' },
  record_gap: { text: 'Record gap' },
  resolve_gap: { text: 'Resolve gap' },
  request_information: { text: 'Request information' },
  send_questionnaire: {
    text: 'Send questionnaire',
    confirm: {
      title: 'Send the questionnaire?',
      text: 'The security questionnaire is attached to the thread and recorded as sent to the developer.',
      confirm: 'Send',
    },
  },
  record_answers: { text: 'Record answers' },
  review_answers: { text: 'Review answers', style: 'primary' },
  skip_questionnaire: { text: 'Skip questionnaire' },
  developer_replied: { text: 'Developer replied', style: 'primary' },
  pass_security: {
    text: 'Pass Stage 2',
    style: 'primary',
    confirm: {
      title: 'Pass Stage 2?',
      text: 'Every answer is accepted and no gap is open. The application moves to the architecture review.',
      confirm: 'Pass',
    },
  },
  schedule_review: { text: 'Schedule architecture review', style: 'primary' },
  record_outcome: { text: 'Record outcome', style: 'primary' },
  reschedule_review: { text: 'Reschedule' },
  cancel_review: { text: 'Cancel meeting', style: 'danger' },
  mark_answered: { text: 'Mark questions answered' },
  record_go_live: { text: 'Record go-live' },
  record_restricted_call: { text: 'Record restricted call' },
  schedule_audit: { text: 'Schedule audit' },
  record_audit_outcome: { text: 'Record audit outcome', style: 'primary' },
  close_remediation: { text: 'Close remediation item' },
  fast_track: { text: 'Fast-track…' },
  ask_role_meeting: { text: 'Ask for Stage 3 meeting…' },
  // Last on purpose: a denial is final, so it sits away from the next step.
  deny_security: { text: 'Deny…', style: 'danger' },
  deny_architecture: { text: 'Deny…', style: 'danger' },
};

const ADMIN_COMMANDS: { command: CommandType; text: string }[] = [
  { command: 'assign', text: 'Assign or reassign…' },
  { command: 'reopen', text: 'Reopen…' },
  { command: 'withdraw', text: 'Withdraw…' },
  { command: 'suspend_access', text: 'Suspend access…' },
  { command: 'reinstate_access', text: 'Reinstate access…' },
  { command: 'revoke_access', text: 'Revoke access…' },
];

function plain(text: string): PlainTextElement {
  return { type: 'plain_text', text, emoji: true };
}

/** Opens the private submission in a modal; whoever may not read it is told so on click. */
export function viewSubmissionButton(applicationId: number): Button {
  return { type: 'button', action_id: CARD_ACTIONS.viewSubmission, text: plain('View submission'), value: String(applicationId) };
}

function gapSummary(card: CardModel): string {
  if (card.openGaps === 0) return 'None open';
  const parts = [...SEVERITIES].reverse().flatMap((s) => (card.gapsBySeverity[s] ? [`${card.gapsBySeverity[s]} ${s}`] : []));
  return `*${card.openGaps} open* (${parts.join(', ')})`;
}

/**
 * A date token, never a rendered duration: the card is read long after it was drawn, and
 * "for 0 seconds" would then be false (SLACK.md). Each reader's client renders the date.
 */
function statusLine(card: CardModel): string {
  return `${STATUS_LABELS[card.status]} since ${slackDate(card.statusSince)}`;
}

function actionElements(card: CardModel): ActionsBlockElement[] {
  const value = cardValue(card);
  const elements: ActionsBlockElement[] = [];
  for (const command of card.commands) {
    const spec = BUTTONS[command];
    if (!spec || (command === 'claim' && card.assigneeId)) continue;
    elements.push({
      type: 'button',
      action_id: cardActionId(command),
      text: plain(spec.text),
      value,
      ...(spec.style ? { style: spec.style } : {}),
      ...(spec.confirm
        ? {
            confirm: {
              title: plain(spec.confirm.title),
              text: plain(spec.confirm.text),
              confirm: plain(spec.confirm.confirm),
              deny: plain('Cancel'),
            },
          }
        : {}),
    });
  }
  // A failed audit asks an admin to decide on a suspension: the action is at hand, not only in the menu.
  if (card.audit?.status === 'failed' && card.commands.includes('suspend_access')) {
    elements.push({
      type: 'button',
      action_id: cardActionId('suspend_access'),
      text: plain('Suspend access…'),
      value,
      style: 'danger',
    });
  }
  elements.push({ type: 'button', action_id: CARD_ACTIONS.showStatus, text: plain('Status & history'), value: String(card.id) });
  elements.push(viewSubmissionButton(card.id));
  if ((card.cycle ?? 1) > 1)
    elements.push({ type: 'button', action_id: CYCLE_ACTIONS.earlier, text: plain('Earlier cycles'), value: String(card.id) });
  const adminOptions = ADMIN_COMMANDS.filter((a) => card.commands.includes(a.command));
  if (adminOptions.length > 0) {
    elements.push({
      type: 'overflow',
      action_id: CARD_ACTIONS.admin,
      options: adminOptions.map((a) => ({ text: plain(a.text), value: `${a.command}:${value}` })),
    });
  }
  return elements;
}

export const fieldText = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text: fitMrkdwn(text, LIMITS.fieldText) });

/**
 * The review card: always the current state of one application, updated in place, with
 * exactly the buttons the workflow allows now. It carries no contact data or security
 * answers (the review channel is wide).
 */
export function reviewCard(card: CardModel, now: Date): MessageView {
  const cycle = cycleField(card);
  const fields = [
    ...roleFields(card),
    `*Regions*\n${card.marketplaces.map(escapeMrkdwn).join(', ')}`,
    `*Developer*\n${card.developerType === 'public' ? 'Public (Appstore)' : 'Private'}${card.country ? ` · ${escapeMrkdwn(card.country)}` : ''}\n${TRACK_LABELS[card.track ?? (card.developerType === 'private' ? 'private' : 'public')]}`,
    `*Launch readiness*\n${LAUNCH_LABELS[card.launchReadiness] ?? escapeMrkdwn(card.launchReadiness)}`,
    `*Stage*\n${STAGE_LABELS[card.stage]}${card.roleReview ? ' (role review)' : ''}`,
    `*Status*\n${statusLine(card)}`,
    `*Assignee*\n${card.assigneeId ? userMention(card.assigneeId) : '_Unassigned_'}`,
    `*Submitted*\n${slackDate(card.submittedAt)}`,
    ...(cycle ? [cycle] : []),
  ];
  const review = reviewFields(card, now);
  const blocks: Block[] = [
    {
      type: 'header',
      block_id: 'card.header',
      text: { type: 'plain_text', text: truncate(card.organizationName, LIMITS.headerText), emoji: false },
    },
    {
      type: 'section',
      block_id: 'card.summary',
      text: {
        type: 'mrkdwn',
        text: websiteLink(card.website),
      },
      fields: fields.map(fieldText),
    },
    ...(review.length > 0 ? [{ type: 'section' as const, block_id: 'card.review', fields: review.map(fieldText) }] : []),
    {
      type: 'context',
      block_id: 'card.meta',
      elements: [
        {
          type: 'mrkdwn',
          text: `${applicationRef(card.id)} · profile \`${escapeMrkdwn(card.profileId)}\` · received ${slackDate(card.receivedAt)} · v${card.version}`,
        },
      ],
    },
    { type: 'actions', block_id: 'card.actions', elements: actionElements(card) },
  ];
  return {
    text: `${applicationRef(card.id)} ${escapeMrkdwn(card.organizationName)}: ${STAGE_LABELS[card.stage]}, ${STATUS_LABELS[card.status]}`,
    blocks,
  };
}

/** Where the review stands (gaps, questionnaire, meeting, go-live, audit): on the card and in /pii status. */
export function reviewFields(card: CardModel, now: Date): string[] {
  const review: string[] = [];
  if (card.stage !== 'business' || card.openGaps > 0) review.push(`*Gaps*\n${gapSummary(card)}`);
  if (card.infoRounds > 0) review.push(`*Information requests*\n${card.infoRounds} round${card.infoRounds === 1 ? '' : 's'}`);
  if (card.questionnaire) {
    const q = card.questionnaire;
    review.push(
      `*Questionnaire* v${escapeMrkdwn(q.version)}\n${q.accepted}/${q.total} accepted · ${q.answered} answered${q.toReview ? ` · *${q.toReview} to review*` : ''}`,
    );
  }
  review.push(...lateFields(card, now));
  return review;
}
