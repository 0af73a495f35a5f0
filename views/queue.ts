import { STAGE_LABELS, STATUS_LABELS } from '../src/workflow/states.ts';
import { appLabel, assigneeText, contextBlock, linesToSections, plain } from './dashboard-format.ts';
import { OPEN_STAGES, type OpenStage, type QueuePage } from './dashboard-types.ts';
import { age } from './format.ts';
import type { Block, MessageView } from './types.ts';

/** The queue's paging buttons (in an ephemeral message); the value is `<stage | all>:<offset>`. */
export const QUEUE_PAGE_ACTION = 'queue.page';

export function queuePageValue(stage: OpenStage | null, offset: number): string {
  return `${stage ?? 'all'}:${offset}`;
}

export function parseQueuePageValue(value: string | undefined): { stage: OpenStage | null; offset: number } | undefined {
  const match = /^(all|business|security|architecture):(\d{1,7})$/.exec(value ?? '');
  if (!match) return undefined;
  const stage = match[1] === 'all' ? null : (match[1] as OpenStage);
  return { stage, offset: Number(match[2]) };
}

/** `showing 1–40 of 153` */
export function rangeText(offset: number, shown: number, total: number): string {
  if (shown === 0) return `showing none of ${total}`;
  return `showing ${offset + 1}–${offset + shown} of ${total}`;
}

function pager(page: QueuePage): Block[] {
  const blocks: Block[] = [];
  const shown = page.items.length;
  if (page.offset > 0) {
    blocks.push({
      type: 'actions',
      block_id: 'queue.previous',
      elements: [
        {
          type: 'button',
          action_id: QUEUE_PAGE_ACTION,
          text: plain('Previous page'),
          value: queuePageValue(page.stage, Math.max(0, page.offset - page.pageSize)),
        },
      ],
    });
  }
  if (page.offset + shown < page.total) {
    blocks.push({
      type: 'actions',
      block_id: 'queue.next',
      elements: [
        {
          type: 'button',
          action_id: QUEUE_PAGE_ACTION,
          text: plain('Next page'),
          style: 'primary',
          value: queuePageValue(page.stage, page.offset + shown),
        },
      ],
    });
  }
  return blocks;
}

/**
 * `/pii queue [stage]`: open applications grouped by stage and status, oldest first, with
 * age and assignee. One page at a time; the range shown is always said.
 */
export function queueView(page: QueuePage, now: Date): MessageView {
  const scope = page.stage ? STAGE_LABELS[page.stage] : 'all stages';
  const range = rangeText(page.offset, page.items.length, page.total);
  const title = `*Open applications* · ${scope} · ${range}`;
  if (page.total === 0) {
    const text = `No open applications in ${scope}.`;
    return { text, blocks: [{ type: 'section', block_id: 'queue.summary', text: { type: 'mrkdwn', text } }] };
  }
  const lines: string[] = [];
  let group = '';
  for (const item of page.items) {
    const heading = `${item.stage}:${item.status}`;
    if (heading !== group) {
      if (group) lines.push('');
      lines.push(`*${STAGE_LABELS[item.stage]} — ${STATUS_LABELS[item.status]}*`);
      group = heading;
    }
    lines.push(`• ${appLabel(item)} · ${age(item.statusSince, now)} · ${assigneeText(item.assigneeId)}`);
  }
  if (page.items.length === 0) lines.push('_Nothing on this page: the queue is shorter now. Go back a page._');
  const blocks: Block[] = [
    { type: 'section', block_id: 'queue.summary', text: { type: 'mrkdwn', text: title } },
    ...linesToSections(lines, 'queue.list'),
    contextBlock(`Age is time in the current status. ${capitalize(range)}.`, 'queue.range'),
    ...pager(page),
  ];
  return { text: `Open applications (${scope}): ${range}`, blocks };
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Stage arguments `/pii queue` accepts: names or numbers. */
export function parseStageArgument(raw: string): OpenStage | undefined {
  const v = raw.trim().toLowerCase();
  const byNumber: Record<string, OpenStage> = { '1': 'business', '2': 'security', '3': 'architecture' };
  return byNumber[v] ?? OPEN_STAGES.find((s) => s === v);
}
