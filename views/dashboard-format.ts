import type { PlainTextElement } from '@slack/types';
import { formatDistanceStrict } from 'date-fns';
import { STAGE_LABELS, STATUS_LABELS } from '../src/workflow/states.ts';
import type { CardRef, ListItem } from './dashboard-types.ts';
import { age, applicationRef, escapeMrkdwn, fitMrkdwn, link, truncate, userMention } from './format.ts';
import { LIMITS } from './limits.ts';
import type { Block } from './types.ts';

/** Organization names in lists are cut to this, so a line stays short and a page fits its blocks. */
export const LIST_NAME_MAX = 60;

/**
 * A link that opens the card itself: the permalink Slack gave when it was posted. Until one is
 * stored (a card posted before permalinks were kept, or getPermalink failed), Slack's archive
 * link format, which opens the message too; app_redirect would open only the channel.
 */
export function cardUrl(card: CardRef): string {
  if (card.permalink) return card.permalink;
  return `https://slack.com/archives/${encodeURIComponent(card.channel)}/p${card.ts.replace('.', '')}`;
}

/** `#12 Northwind`, linked to its card when the card is posted. */
export function appLabel(app: {
  id: number;
  organizationName: string;
  card: CardRef | null;
  cycle?: number;
  roleReview?: boolean;
}): string {
  const label = `${applicationRef(app.id)} ${truncate(app.organizationName, LIST_NAME_MAX)}`;
  // Where it matters: a later review cycle, or a role review of an approved application.
  const marks = [...(app.cycle && app.cycle > 1 ? [`cycle ${app.cycle}`] : []), ...(app.roleReview ? ['role review'] : [])];
  return `${app.card ? link(cardUrl(app.card), label) : escapeMrkdwn(label)}${marks.length > 0 ? ` (${marks.join(', ')})` : ''}`;
}

export function assigneeText(assigneeId: string | null): string {
  return assigneeId ? userMention(assigneeId) : '_unassigned_';
}

/** `Stage 2 · Security questions, waiting on developer for 3 days` */
export function stateText(item: ListItem, now: Date): string {
  return `${STAGE_LABELS[item.stage]}, ${STATUS_LABELS[item.status].toLowerCase()} for ${age(item.statusSince, now)}`;
}

/** A duration in words ("3 days", "5 hours"), or a dash when there is none. */
export function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '–';
  return formatDistanceStrict(0, Math.max(0, Math.round(ms)));
}

/**
 * Lines as mrkdwn sections, each as full as 3000 characters allow, so a long list costs few
 * blocks. A single line longer than a section is cut, marked with an ellipsis.
 */
export function linesToSections(lines: readonly string[], blockIdPrefix?: string): Block[] {
  const chunks: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = fitMrkdwn(raw, LIMITS.sectionText);
    if (current && current.length + 1 + line.length > LIMITS.sectionText) {
      chunks.push(current);
      current = line;
    } else {
      current = current ? `${current}\n${line}` : line;
    }
  }
  if (current) chunks.push(current);
  return chunks.map((text, i) => ({
    type: 'section',
    ...(blockIdPrefix ? { block_id: `${blockIdPrefix}.${i}` } : {}),
    text: { type: 'mrkdwn', text },
  }));
}

/** Said whenever a list shows fewer than it has: never cut silently. */
export function moreText(shown: number, total: number, hint = 'use `/pii queue`'): string | undefined {
  return total > shown ? `…and ${total - shown} more — ${hint}` : undefined;
}

export const contextBlock = (text: string, blockId?: string): Block => ({
  type: 'context',
  ...(blockId ? { block_id: blockId } : {}),
  elements: [{ type: 'mrkdwn', text: fitMrkdwn(text, LIMITS.sectionText) }],
});

export const headerBlock = (text: string): Block => ({
  type: 'header',
  text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true },
});

export const plain = (text: string): PlainTextElement => ({ type: 'plain_text', text, emoji: true });
