import type { Button, HomeView as SlackHomeView } from '@slack/types';
import { ROLE_LABELS } from '../src/workflow/roles.ts';
import { cardActionId, cardValue } from './card.ts';
import { accessLine, auditLine } from './dashboard-audits.ts';
import { appLabel, cardUrl, contextBlock, headerBlock, linesToSections, moreText, plain, stateText } from './dashboard-format.ts';
import { meetingLines } from './dashboard-mine.ts';
import type { HomeModel, ListItem, Slice } from './dashboard-types.ts';
import { age, slackDate } from './format.ts';
import { parkedHomeBlocks } from './slack-alerts.ts';
import type { Block } from './types.ts';

/** The "Open card" link button; Slack still sends its click, so a listener acks it. */
export const HOME_OPEN_CARD_ACTION = 'home.open_card';

export type HomeView = SlackHomeView;

const openCard = (item: Pick<ListItem, 'id' | 'card'>): Button | undefined =>
  item.card
    ? {
        type: 'button',
        action_id: HOME_OPEN_CARD_ACTION,
        text: plain('Open card'),
        url: cardUrl(item.card),
        value: String(item.id),
      }
    : undefined;

const title = (text: string, blockId: string): Block => ({ type: 'section', block_id: blockId, text: { type: 'mrkdwn', text } });

function more(slice: Slice<unknown>, hint: string, blockId: string): Block[] {
  const text = moreText(slice.items.length, slice.total, hint);
  return text ? [contextBlock(text, blockId)] : [];
}

function waitingOnYou(model: HomeModel): Block[] {
  const slice = model.waitingOnYou;
  if (!slice) return [];
  const blocks: Block[] = [title(`*Waiting on you* (${slice.total})`, 'home.waiting.title')];
  if (slice.total === 0) blocks.push(contextBlock('Nothing waits on you right now.'));
  for (const item of slice.items) {
    const why = item.reason === 'architect' ? ' · you are the architect' : '';
    const button = openCard(item);
    blocks.push({
      type: 'section',
      block_id: `home.waiting.${item.id}`,
      text: { type: 'mrkdwn', text: `${appLabel(item)}\n${stateText(item, model.now)}${why}` },
      ...(button ? { accessory: button } : {}),
    });
  }
  return [...blocks, ...more(slice, 'use `/pii mine`', 'home.waiting.more'), { type: 'divider' }];
}

function unassigned(model: HomeModel): Block[] {
  const slice = model.unassigned;
  if (!slice) return [];
  const blocks: Block[] = [title(`*Unassigned* (${slice.total})`, 'home.unassigned.title')];
  if (slice.total === 0) blocks.push(contextBlock('Every open application has an assignee.'));
  for (const item of slice.items) {
    const button = openCard(item);
    blocks.push(
      {
        type: 'section',
        block_id: `home.unassigned.${item.id}`,
        text: { type: 'mrkdwn', text: `${appLabel(item)} · ${stateText(item, model.now)}` },
      },
      {
        type: 'actions',
        block_id: `home.claim.${item.id}`,
        elements: [
          { type: 'button', action_id: cardActionId('claim'), text: plain('Claim'), style: 'primary', value: cardValue(item) },
          ...(button ? [button] : []),
        ],
      },
    );
  }
  return [...blocks, ...more(slice, 'use `/pii queue`', 'home.unassigned.more'), { type: 'divider' }];
}

function lineList<T>(
  heading: string,
  slice: Slice<T> | null,
  line: (t: T) => string,
  empty: string,
  key: string,
  hint: string,
): Block[] {
  if (!slice) return [];
  return [
    title(`*${heading}* (${slice.total})`, `home.${key}.title`),
    ...(slice.total === 0 ? [contextBlock(empty)] : linesToSections(slice.items.map(line), `home.${key}`)),
    ...more(slice, hint, `home.${key}.more`),
    { type: 'divider' },
  ];
}

function figures(model: HomeModel): Block {
  const f = model.figures;
  return {
    type: 'section',
    block_id: 'home.figures',
    text: { type: 'mrkdwn', text: '*Team*' },
    fields: [
      {
        type: 'mrkdwn',
        text: `*Open*\n${f.open} (Stage 1: ${f.byStage.business} · Stage 2: ${f.byStage.security} · Stage 3: ${f.byStage.architecture})`,
      },
      { type: 'mrkdwn', text: `*Unassigned*\n${f.unassigned}` },
      { type: 'mrkdwn', text: `*Waiting on developers*\n${f.waitingOnDeveloper}` },
      { type: 'mrkdwn', text: `*Last 30 days*\n${f.receivedLast30Days} received · ${f.approvedLast30Days} approved` },
    ],
  };
}

/** Access at risk or suspended, with the audits eligible and remediation overdue counted. */
function accessSection(model: HomeModel): Block[] {
  const a = model.access;
  if (!a) return [];
  const items = [...a.atRisk.items, ...a.suspended.items];
  const total = a.atRisk.total + a.suspended.total;
  const lines = items.map(accessLine);
  const more = moreText(items.length, total, 'use `/pii audits`');
  return [
    title(`*Access at risk or suspended* (${total})`, 'home.access.title'),
    ...(total === 0
      ? [contextBlock('Every approved application has active access.', 'home.access.none')]
      : linesToSections(lines, 'home.access')),
    contextBlock(
      `${a.eligible} eligible for an audit, none scheduled · ${a.remediationOverdue} remediation item(s) overdue${more ? ` · ${more}` : ''}`,
      'home.access.counts',
    ),
    { type: 'divider' },
  ];
}

/**
 * One person's App Home: what waits on them, what nobody has claimed (with a Claim button
 * that is the card's own), meetings, audits, applications waiting on developers, team figures.
 * Every list is capped and says how many more there are, keeping the tab inside 100 blocks.
 */
export function homeView(model: HomeModel): HomeView {
  const roles = model.roles.map((r) => ROLE_LABELS[r]).join(', ');
  const blocks: Block[] = [
    headerBlock('PII review'),
    contextBlock(`Updated ${slackDate(model.now)}${roles ? ` · you are ${roles}` : ''}`, 'home.updated'),
  ];
  if (model.roles.length === 0) {
    blocks.push(
      title('You hold no role in pii-review yet (reviewer, solution architect or admin). An admin grants roles.', 'home.norole'),
      { type: 'divider' },
      figures(model),
    );
    return { type: 'home', callback_id: 'home', blocks };
  }
  blocks.push(
    ...parkedHomeBlocks(model.parked ?? null),
    ...waitingOnYou(model),
    ...unassigned(model),
    ...lineList(
      'Upcoming architecture reviews',
      model.meetings,
      (m) => meetingLines({ items: [m], total: 1 }, { architect: true })[0] ?? '',
      'No architecture review is scheduled.',
      'meetings',
      'use `/pii mine`',
    ),
    ...accessSection(model),
    ...lineList(
      'Audits awaiting an outcome or within 30 days',
      model.audits,
      (a) => auditLine(a, model.now),
      'No audit is scheduled soon.',
      'audits',
      'use `/pii audits`',
    ),
    ...lineList(
      'Waiting on developers',
      model.waitingOnDevelopers,
      (i) =>
        `• ${appLabel(i)} · waiting ${age(i.statusSince, model.now)} · since ${slackDate(i.statusSince, '{date_short_pretty}')}`,
      'No application waits on a developer.',
      'developers',
      'use `/pii queue`',
    ),
    figures(model),
  );
  return { type: 'home', callback_id: 'home', blocks };
}
