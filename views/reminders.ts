import { applicationRef, escapeMrkdwn, fitMrkdwn, slackDate, userMention } from './format.ts';
import type { Block, MessageView } from './types.ts';

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const who = (id: unknown, fallback = 'reviewers (unassigned)') => (typeof id === 'string' && id ? userMention(id) : fallback);
const day = (v: unknown) => slackDate(new Date(str(v)), '{date_short}');

/** The thread line of a reminder, mentioning whoever must act. */
export function reminderText(kind: string, data: Record<string, unknown>): string {
  switch (kind) {
    case 'stale':
      return `:alarm_clock: ${who(data.assigneeId)}: this application has not moved for ${Number(data.businessDays)} business days.`;
    case 'waiting':
      return `:hourglass: ${who(data.assigneeId)}: the developer has not answered for ${Number(data.days)} days. Chase them, or withdraw the application.`;
    case 'meeting':
      return `:calendar: ${who(data.architectId)} ${data.assigneeId ? userMention(str(data.assigneeId)) : ''} the architecture review starts ${slackDate(new Date(str(data.startsAt)))} (in ${Number(data.hours)} h or less).`.replace(
        /\s+/g,
        ' ',
      );
    case 'no_call':
      return `:warning: ${who(data.assigneeId)}: no successful restricted API call recorded since approval (due by ${day(data.dueBy)}). Access is at risk.`;
    case 'audit_due':
      return `:clipboard: ${who(data.assigneeId)}: the implementation audit is due since ${day(data.dueOn)} and not scheduled yet.`;
    case 'audit_tomorrow':
      return `:clipboard: ${who(data.assigneeId)}: the audit with ${escapeMrkdwn(str(data.auditor))} is ${slackDate(new Date(str(data.scheduledFor)), '{date_short_pretty}')}.`;
    case 'remediation_due':
      return `:wrench: ${who(data.assigneeId)}: remediation item _${escapeMrkdwn(str(data.text))}_ was due ${day(data.dueOn)}.`;
    default:
      return `:bell: Reminder: ${escapeMrkdwn(kind)}`;
  }
}

type Listed = { count: number; items: { id?: number | null; org?: string; businessDays?: number; startsAt?: string }[] };

/** The daily digest in the review channel: overdue audits, stale applications, today's meetings. */
export function digestView(date: string, data: { stale?: Listed; overdueAudits?: Listed; meetingsToday?: Listed }): MessageView {
  const section = (title: string, list: Listed | undefined, line: (i: Listed['items'][number]) => string): Block[] => {
    if (!list || list.count === 0) return [];
    const more = list.count > list.items.length ? `\n…and ${list.count - list.items.length} more (\`/pii queue\`).` : '';
    return [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: fitMrkdwn(`*${title}* (${list.count})\n${list.items.map(line).join('\n')}${more}`, 3000) },
      },
    ];
  };
  const ref = (i: { id?: number | null; org?: string }) => `${applicationRef(Number(i.id))} ${escapeMrkdwn(i.org ?? '')}`;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: `Daily review digest · ${date}` } },
    ...section('Overdue audits', data.overdueAudits, (i) => `• ${ref(i)}`),
    ...section('Stale applications', data.stale, (i) => `• ${ref(i)}: ${Number(i.businessDays)} business days without a move`),
    ...section(
      'Architecture reviews today',
      data.meetingsToday,
      (i) => `• ${ref(i)} at ${slackDate(new Date(i.startsAt ?? ''), '{time}')}`,
    ),
  ];
  if (blocks.length === 1)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: 'Nothing overdue, nothing stale, no meeting today. :sparkles:' },
    });
  const counts = [data.overdueAudits?.count ?? 0, data.stale?.count ?? 0, data.meetingsToday?.count ?? 0];
  return {
    text: `Daily digest: ${counts[0]} overdue audits, ${counts[1]} stale applications, ${counts[2]} meetings today`,
    blocks,
  };
}
