import { appLabel, linesToSections, moreText } from './dashboard-format.ts';
import type { AuditItem, AuditsModel, RemediationDue, Slice } from './dashboard-types.ts';
import { escapeMrkdwn, slackDate, truncate } from './format.ts';
import type { Block, MessageView } from './types.ts';

const date = (at: Date) => slackDate(at, '{date_short_pretty}');
const label = (a: { applicationId: number; organizationName: string; card: AuditItem['card'] }) =>
  appLabel({ id: a.applicationId, organizationName: a.organizationName, card: a.card });

export function auditLine(a: AuditItem, now: Date): string {
  const live = `live since ${date(a.productionSince)}`;
  if (a.audit) {
    const by = escapeMrkdwn(truncate(a.audit.auditor, 60));
    const past = a.audit.scheduledFor.getTime() < now.getTime();
    return `• ${label(a)} · ${past ? '*scheduled for ' : 'scheduled for '}${date(a.audit.scheduledFor)}${past ? ', no outcome yet*' : ''} with ${by} · ${live}`;
  }
  const overdue = a.dueOn.getTime() <= now.getTime();
  return `• ${label(a)} · ${overdue ? '*due ' : 'due '}${date(a.dueOn)}${overdue ? ', not scheduled*' : ''} · ${live}`;
}

export function remediationLine(r: RemediationDue, now: Date): string {
  const late = r.dueOn.getTime() < now.getTime();
  return `• ${label(r)} · _${escapeMrkdwn(truncate(r.text.replace(/\s+/g, ' '), 150))}_ · ${late ? '*overdue, was due ' : 'due '}${date(r.dueOn)}${late ? '*' : ''}`;
}

function group<T>(title: string, slice: Slice<T>, line: (t: T) => string, empty: string): string[] {
  const more = moreText(slice.items.length, slice.total, 'the oldest are shown');
  return [
    `*${title}* (${slice.total})`,
    ...(slice.total === 0 ? [`_${empty}_`] : slice.items.map(line)),
    ...(more ? [more] : []),
    '',
  ];
}

/** `/pii audits`: implementation audits overdue, scheduled and coming, and remediation items due. */
export function auditsView(model: AuditsModel, now: Date, auditAfterDays: number): MessageView {
  const lines = [
    ...group('Overdue', model.overdue, (a) => auditLine(a, now), 'No audit is overdue.'),
    ...group('Scheduled', model.scheduled, (a) => auditLine(a, now), 'No audit is scheduled.'),
    ...group('Coming due (not scheduled yet)', model.upcoming, (a) => auditLine(a, now), 'None.'),
    ...group('Remediation items open', model.remediation, (r) => remediationLine(r, now), 'No remediation item is open.'),
  ];
  lines.pop();
  const blocks: Block[] = [
    {
      type: 'section',
      block_id: 'audits.summary',
      text: {
        type: 'mrkdwn',
        text: `*Implementation audits* · due ${auditAfterDays} days after go-live · ${model.overdue.total} overdue, ${model.remediation.total} remediation item(s) open`,
      },
    },
    ...linesToSections(lines, 'audits.list'),
  ];
  return {
    text: `Audits: ${model.overdue.total} overdue, ${model.scheduled.total} scheduled, ${model.upcoming.total} coming due, ${model.remediation.total} remediation item(s) open`,
    blocks,
  };
}
