import { STAGE_LABELS, STATUS_LABELS } from '../src/workflow/states.ts';
import { fieldText, reviewFields, viewSubmissionButton } from './card.ts';
import { cycleField, roleFields } from './cycles.ts';
import { historyLine } from './events.ts';
import { applicationRef, escapeMrkdwn, fitMrkdwn, slackDate, truncate, userMention } from './format.ts';
import { LIMITS } from './limits.ts';
import type { ApplicationSummary, Block, CardModel, HistoryEntry, MessageView } from './types.ts';

/** The answer to `/pii status`: where the application stands and everything that happened to it. */
export function statusView(app: CardModel, history: readonly HistoryEntry[], now: Date): MessageView {
  const title = `${applicationRef(app.id)} ${escapeMrkdwn(app.organizationName)}`;
  const head: Block[] = [
    {
      type: 'section',
      block_id: 'status.summary',
      text: { type: 'mrkdwn', text: fitMrkdwn(`*${title}*  ·  profile \`${escapeMrkdwn(app.profileId)}\``, LIMITS.sectionText) },
      fields: [
        { type: 'mrkdwn', text: `*Stage*\n${STAGE_LABELS[app.stage]}${app.roleReview ? ' (role review)' : ''}` },
        { type: 'mrkdwn', text: `*Status*\n${STATUS_LABELS[app.status]} since ${slackDate(app.statusSince)}` },
        { type: 'mrkdwn', text: `*Age*\nReceived ${slackDate(app.receivedAt, '{ago}')} (${slackDate(app.receivedAt)})` },
        { type: 'mrkdwn', text: `*Assignee*\n${app.assigneeId ? userMention(app.assigneeId) : '_Unassigned_'}` },
        // The cycle, and once approved the roles by status (approved apart from those under review).
        ...[cycleField(app), ...((app.roleStatuses ?? []).length > 0 ? roleFields(app) : [])]
          .filter((f): f is string => f !== undefined)
          .map(fieldText),
      ],
    },
    ...reviewBlocks(app, now),
    { type: 'actions', block_id: 'status.actions', elements: [viewSubmissionButton(app.id)] },
    { type: 'divider' },
  ];
  const blocks = [...head, ...historyBlocks(history, LIMITS.messageBlocks - head.length)];
  return { text: `${title}: ${STAGE_LABELS[app.stage]}, ${STATUS_LABELS[app.status]}`, blocks };
}

function reviewBlocks(card: CardModel, now: Date): Block[] {
  const fields = reviewFields(card, now);
  return fields.length === 0
    ? []
    : [
        {
          type: 'section',
          block_id: 'status.review',
          fields: fields.map(fieldText),
        },
      ];
}

/**
 * History as sections of lines, newest last, in at most `budget` blocks (the heading and the
 * note on left-out events included). Long histories fill as many sections as the message
 * allows and then say how many earlier events were left out, never cutting silently.
 */
function historyBlocks(history: readonly HistoryEntry[], budget: number): Block[] {
  const maxSections = budget - 2;
  const sections: string[][] = [];
  let shown = 0;
  for (const event of [...history].reverse()) {
    const line = fitMrkdwn(historyLine(event), LIMITS.sectionText);
    const current = sections[sections.length - 1];
    if (current && [...current, line].join('\n').length <= LIMITS.sectionText) current.unshift(line);
    else if (sections.length < maxSections) sections.push([line]);
    else break;
    shown += 1;
  }
  const blocks: Block[] = [
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `*History* · ${history.length} event${history.length === 1 ? '' : 's'}` }],
    },
  ];
  if (shown < history.length) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${history.length - shown} earlier events are not shown here.` }],
    });
  }
  for (const lines of sections.reverse()) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } });
  return blocks;
}

export function notFoundView(query: string): MessageView {
  const text = `No application matches \`${escapeMrkdwn(truncate(query, 100))}\`. Try its number (\`/pii status 42\`), the developer profile id, or the organization name.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/**
 * Several applications match a name: they are listed (at most the first few by number; `more`
 * says there are others, whose count was not read) with what names one of them.
 */
export function ambiguousView(query: string, matches: readonly ApplicationSummary[], more = false): MessageView {
  const lines = matches.map(
    (m) =>
      `• ${applicationRef(m.id)} ${escapeMrkdwn(m.organizationName)} (profile \`${escapeMrkdwn(m.profileId)}\`) · ${STATUS_LABELS[m.status]}`,
  );
  const quoted = `\`${escapeMrkdwn(truncate(query, 100))}\``;
  const head = more
    ? `More than ${matches.length} applications match ${quoted}; the first ${matches.length} by number are below. Name one by its number or its developer profile id, or type more of the organization name:`
    : `${matches.length} applications match ${quoted}; name one by its number or its developer profile id:`;
  const text = fitMrkdwn(`${head}\n${lines.join('\n')}`, LIMITS.sectionText);
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
