import { applicationRef, calendarDate, escapeMrkdwn, fitMrkdwn, slackDate, userMention } from './format.ts';
import type { Block, MessageView } from './types.ts';

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const isSlackId = (v: unknown, prefix: RegExp): v is string => typeof v === 'string' && prefix.test(v);

/** The reviewers a reminder of an unassigned application mentions: the group, or each reviewer. */
function audienceMention(audience: unknown): string {
  const a = (audience ?? {}) as { groupId?: unknown; userIds?: unknown };
  if (isSlackId(a.groupId, /^S[A-Z0-9]+$/)) return `<!subteam^${a.groupId}> (nobody is assigned)`;
  const users = Array.isArray(a.userIds) ? a.userIds.filter((u) => isSlackId(u, /^[UW][A-Z0-9]+$/)) : [];
  if (users.length > 0) return `${users.map(userMention).join(' ')} (nobody is assigned)`;
  return 'Reviewers (nobody is assigned; set REVIEWER_GROUP_ID or REVIEWER_IDS so someone is mentioned)';
}
const day = (v: unknown) => slackDate(new Date(str(v)), '{date_short}');
/** A day without a time (an audit's date, a due date): the same day for every reader (calendarDate). */
const calendar = (v: unknown) => calendarDate(new Date(str(v)));

/** An application's overdue remediation in one digest line: how many items, and since when. */
const overdueItems = (count: number | undefined, oldestDueOn: unknown) =>
  (count ?? 1) === 1
    ? `1 remediation item overdue, due ${calendar(oldestDueOn)}`
    : `${count} remediation items overdue, the oldest due ${calendar(oldestDueOn)}`;

const owner = (data: Record<string, unknown>) =>
  typeof data.assigneeId === 'string' && data.assigneeId ? userMention(data.assigneeId) : audienceMention(data.audience);
const who = (id: unknown) => (typeof id === 'string' && id ? userMention(id) : 'reviewers');

/** The date the count runs from, as a token, so the line stays true however late it is read. */
const since = (data: Record<string, unknown>) => {
  const at = new Date(str(data.since));
  return Number.isNaN(at.getTime()) ? '' : ` In this status since ${slackDate(at)}.`;
};

/** The thread line of a reminder, mentioning whoever must act. */
export function reminderText(kind: string, data: Record<string, unknown>): string {
  switch (kind) {
    case 'stale':
      return `:alarm_clock: ${owner(data)}: this application has not moved for ${Number(data.businessDays)} business days.${since(data)}`;
    case 'waiting':
      return `:hourglass: ${owner(data)}: the developer has not answered for ${Number(data.days)} days.${since(data)} Chase them, or withdraw the application.`;
    case 'meeting':
      return `:calendar: ${who(data.architectId)} ${data.assigneeId ? userMention(str(data.assigneeId)) : ''} the architecture review starts ${slackDate(new Date(str(data.startsAt)))} (${slackDate(new Date(str(data.startsAt)), '{ago}')}).`.replace(
        /\s+/g,
        ' ',
      );
    case 'access_at_risk':
      return data.cause === 'inactive'
        ? `:warning: ${owner(data)}: *access at risk* since ${day(data.since)}: no successful restricted API call since ${day(data.lastCallAt)}. Record the next call, or an admin may suspend access.`
        : data.cause === 'no_call_since_reinstatement'
          ? `:warning: ${owner(data)}: *access at risk* since ${day(data.since)}: no successful restricted API call since access was reinstated. Record the next call, or an admin may suspend access.`
          : `:warning: ${owner(data)}: *access at risk* since ${day(data.since)}: no successful restricted API call since approval. Record the first call, or an admin may suspend access.`;
    case 'audit_outcome':
      return `:clipboard: ${owner(data)}: the audit with ${escapeMrkdwn(str(data.auditor))} was on ${calendar(data.scheduledFor)} and has no outcome yet. Record it.`;
    case 'audit_tomorrow':
      return `:clipboard: ${owner(data)}: the audit with ${escapeMrkdwn(str(data.auditor))} is on ${calendar(data.scheduledFor)}.`;
    case 'remediation_due':
      return Number(data.week) > 0
        ? `:wrench: ${owner(data)}: remediation item _${escapeMrkdwn(str(data.text))}_ is *overdue* (due ${calendar(data.dueOn)}).`
        : `:wrench: ${owner(data)}: remediation item _${escapeMrkdwn(str(data.text))}_ is due ${calendar(data.dueOn)}.`;
    default:
      return `:bell: Reminder: ${escapeMrkdwn(kind)}`;
  }
}

type Listed = {
  count: number;
  items: {
    id?: number | null;
    org?: string;
    businessDays?: number;
    startsAt?: string;
    scheduledFor?: string;
    dueOn?: string;
    /** Remediation: how many of the application's items are overdue (dueOn is the oldest); one when absent. */
    overdue?: number;
  }[];
};

export type DigestData = {
  stale?: Listed;
  atRisk?: Listed;
  eligible?: Listed;
  awaitingOutcome?: Listed;
  remediationOverdue?: Listed;
  /** Architecture reviews from the digest's time until the next digest (24 hours). */
  meetingsAhead?: Listed;
  /** The same list under its former name: a digest claimed before the rename may still be in the outbox. */
  meetingsToday?: Listed;
};

/**
 * The daily digest in the review channel: access at risk, audits awaiting an outcome, remediation
 * overdue, stale applications, the architecture reviews of the next 24 hours, and (once, in the
 * week it happens) applications newly eligible for an audit: eligible is not overdue.
 */
export function digestView(date: string, data: DigestData): MessageView {
  const meetings = data.meetingsAhead ?? data.meetingsToday;
  const section = (title: string, list: Listed | undefined, line: (i: Listed['items'][number]) => string): Block[] => {
    if (!list || list.count === 0) return [];
    const more =
      list.count > list.items.length ? `\n…and ${list.count - list.items.length} more (\`/pii audits\`, \`/pii queue\`).` : '';
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
    ...section('Access at risk', data.atRisk, (i) => `• ${ref(i)}`),
    ...section(
      'Audits awaiting an outcome',
      data.awaitingOutcome,
      (i) => `• ${ref(i)}: the audit was on ${calendar(i.scheduledFor)}`,
    ),
    ...section('Remediation overdue', data.remediationOverdue, (i) => `• ${ref(i)}: ${overdueItems(i.overdue, i.dueOn)}`),
    ...section('Stale applications', data.stale, (i) => `• ${ref(i)}: ${Number(i.businessDays)} business days without a move`),
    ...section(
      'Architecture reviews in the next 24 hours',
      meetings,
      (i) => `• ${ref(i)}: ${slackDate(new Date(i.startsAt ?? ''))}`,
    ),
    ...section('Newly eligible for an audit', data.eligible, (i) => `• ${ref(i)}`),
  ];
  if (blocks.length === 1)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'Nothing at risk, nothing overdue, nothing stale, no architecture review in the next 24 hours. :sparkles:',
      },
    });
  const n = (l: Listed | undefined) => l?.count ?? 0;
  return {
    text: `Daily digest: ${n(data.atRisk)} at risk, ${n(data.awaitingOutcome)} audits awaiting an outcome, ${n(data.remediationOverdue)} remediation overdue, ${n(data.stale)} stale applications, ${n(meetings)} architecture reviews in the next 24 hours`,
    blocks,
  };
}
