import { STAGE_LABELS, STATUS_LABELS } from '../src/workflow/states.ts';
import { age, applicationRef, escapeMrkdwn, link, slackDate, truncate, userMention } from './format.ts';
import { LIMITS } from './limits.ts';
import type { ApplicationSummary, Block, MessageView } from './types.ts';

export const CARD_ACTIONS = {
  showStatus: 'card.status',
} as const;

const LAUNCH_LABELS: Record<string, string> = {
  in_development: 'In development',
  beta: 'Beta',
  in_production: 'In production',
};

/**
 * The review card: always the current state of one application, updated in place.
 * It carries no contact data or security answers (the review channel is wide).
 */
export function reviewCard(app: ApplicationSummary, now: Date): MessageView {
  const org = escapeMrkdwn(app.organizationName);
  const fields = [
    `*Roles*\n${app.roles.map(escapeMrkdwn).join(', ')}`,
    `*Regions*\n${app.marketplaces.map(escapeMrkdwn).join(', ')}`,
    `*Developer*\n${app.developerType === 'public' ? 'Public (Appstore)' : 'Private'}${app.country ? ` · ${escapeMrkdwn(app.country)}` : ''}`,
    `*Launch readiness*\n${LAUNCH_LABELS[app.launchReadiness] ?? escapeMrkdwn(app.launchReadiness)}`,
    `*Stage*\n${STAGE_LABELS[app.stage]}`,
    `*Status*\n${STATUS_LABELS[app.status]} for ${age(app.statusSince, now)}`,
    `*Assignee*\n${app.assigneeId ? userMention(app.assigneeId) : '_Unassigned_'}`,
    `*Submitted*\n${slackDate(app.submittedAt)}`,
  ];
  const blocks: Block[] = [
    {
      type: 'header',
      block_id: 'card.header',
      text: { type: 'plain_text', text: truncate(app.organizationName, LIMITS.headerText), emoji: false },
    },
    {
      type: 'section',
      block_id: 'card.summary',
      text: { type: 'mrkdwn', text: truncate(`${link(app.website, app.website)}`, LIMITS.sectionText) },
      fields: fields.map((text) => ({ type: 'mrkdwn', text: truncate(text, LIMITS.fieldText) })),
    },
    {
      type: 'context',
      block_id: 'card.meta',
      elements: [
        {
          type: 'mrkdwn',
          text: `${applicationRef(app.id)} · profile \`${escapeMrkdwn(app.profileId)}\` · received ${slackDate(app.receivedAt)}`,
        },
      ],
    },
    {
      type: 'actions',
      block_id: 'card.actions',
      elements: [
        {
          type: 'button',
          action_id: CARD_ACTIONS.showStatus,
          text: { type: 'plain_text', text: 'Status & history' },
          value: String(app.id),
        },
      ],
    },
  ];
  return {
    text: `${applicationRef(app.id)} ${org}: ${STAGE_LABELS[app.stage]}, ${STATUS_LABELS[app.status]}`,
    blocks,
  };
}
