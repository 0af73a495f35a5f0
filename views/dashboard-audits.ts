import { dayOverUtc } from '../src/time.ts';
import { ACCESS_LABELS, RISK_CAUSE_LABELS, SUSPENSION_REASON_LABELS } from '../src/workflow/access.ts';
import { appLabel, linesToSections, moreText } from './dashboard-format.ts';
import type { AccessItem, AuditItem, AuditsModel, RemediationDue, Slice } from './dashboard-types.ts';
import { calendarDate, escapeMrkdwn, slackDate, truncate } from './format.ts';
import type { Block, MessageView } from './types.ts';

const label = (a: { applicationId: number; organizationName: string; card: AuditItem['card'] }) =>
  appLabel({ id: a.applicationId, organizationName: a.organizationName, card: a.card });

/** An audit line: scheduled (ahead, or awaiting its outcome), or eligible (no warning: an audit may come). */
export function auditLine(a: AuditItem, now: Date): string {
  const live = `live since ${calendarDate(a.productionSince)}`;
  if (a.audit) {
    const by = escapeMrkdwn(truncate(a.audit.auditor, 60));
    const past = now >= dayOverUtc(a.audit.scheduledFor);
    return `• ${label(a)} · ${past ? '*was ' : 'scheduled for '}${calendarDate(a.audit.scheduledFor)}${past ? ', awaiting the outcome*' : ''} with ${by} · ${live}`;
  }
  return `• ${label(a)} · eligible since ${calendarDate(a.dueOn)} · ${live}`;
}

export function remediationLine(r: RemediationDue, now: Date): string {
  const late = now >= dayOverUtc(r.dueOn);
  return `• ${label(r)} · _${escapeMrkdwn(truncate(r.text.replace(/\s+/g, ' '), 150))}_ · ${late ? '*overdue, was due ' : 'due '}${calendarDate(r.dueOn)}${late ? '*' : ''}`;
}

const REASONS: Record<string, string> = { ...SUSPENSION_REASON_LABELS, ...RISK_CAUSE_LABELS };

export function accessLine(a: AccessItem): string {
  const since = a.since ? ` since ${slackDate(a.since, '{date_short_pretty}')}` : '';
  const why = a.reason ? ` (${escapeMrkdwn(REASONS[a.reason] ?? a.reason)})` : '';
  return `• ${label(a)} · ${ACCESS_LABELS[a.status].toLowerCase()}${since}${why}`;
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

/** `/pii audits`: access at risk and suspended, audits awaiting an outcome, scheduled, eligible, remediation. */
export function auditsView(model: AuditsModel, now: Date, auditAfterDays: number): MessageView {
  const lines = [
    ...group('Access at risk', model.atRisk, accessLine, 'No access is at risk.'),
    ...group('Access suspended', model.suspended, accessLine, 'No access is suspended.'),
    ...group('Awaiting an outcome', model.awaitingOutcome, (a) => auditLine(a, now), 'No audit awaits its outcome.'),
    ...group('Scheduled', model.scheduled, (a) => auditLine(a, now), 'No audit is scheduled.'),
    ...group('Remediation items open', model.remediation, (r) => remediationLine(r, now), 'No remediation item is open.'),
    ...group('Eligible for an audit (none scheduled)', model.eligible, (a) => auditLine(a, now), 'None.'),
  ];
  lines.pop();
  const blocks: Block[] = [
    {
      type: 'section',
      block_id: 'audits.summary',
      text: {
        type: 'mrkdwn',
        text: `*After approval* · an audit may come ${auditAfterDays} days after go-live · ${model.atRisk.total} at risk, ${model.suspended.total} suspended, ${model.awaitingOutcome.total} awaiting an outcome, ${model.remediationOverdue} remediation item(s) overdue`,
      },
    },
    ...linesToSections(lines, 'audits.list'),
  ];
  return {
    text: `Audits: ${model.awaitingOutcome.total} awaiting an outcome, ${model.scheduled.total} scheduled, ${model.eligible.total} eligible, ${model.remediationOverdue} remediation overdue; access: ${model.atRisk.total} at risk, ${model.suspended.total} suspended`,
    blocks,
  };
}
