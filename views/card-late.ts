import { escapeMrkdwn, slackDate, userMention } from './format.ts';
import type { CardModel } from './types.ts';

const day = (d: Date) => slackDate(d, '{date_short}');

/** Stage 3 and post-approval lines of the card: the meeting, go-live, the restricted call, the audit. */
export function lateFields(card: CardModel, now: Date): string[] {
  const fields: string[] = [];
  if (card.stage === 'architecture' || card.meeting) {
    const m = card.meeting;
    const meeting =
      m && m.status !== 'cancelled'
        ? `${slackDate(m.startsAt)} · ${m.durationMinutes} min with ${userMention(m.architectId)}${m.status === 'held' ? ' (held)' : ''}`
        : m
          ? '_Cancelled; not rescheduled_'
          : '_Not scheduled_';
    fields.push(`*Architecture review*\n${meeting}`);
  }
  if (card.openQuestions > 0) fields.push(`*Open questions*\n*${card.openQuestions}* waiting on the developer`);
  // Once approved, the production life shows whatever stage a role review is in.
  if (card.stage === 'closed' || !(card.stage === 'approved' || card.approvedAt)) return fields;
  fields.push(`*Production*\n${card.productionSince ? `Live since ${day(card.productionSince)}` : '_Go-live not recorded_'}`);
  const atRisk = !card.lastRestrictedCallAt && card.restrictedCallDueBy && now.getTime() > card.restrictedCallDueBy.getTime();
  fields.push(
    `*Restricted API call*\n${
      card.lastRestrictedCallAt
        ? `Last success ${slackDate(card.lastRestrictedCallAt)}`
        : atRisk
          ? `:warning: *Access at risk*: no successful call since approval (due by ${day(card.restrictedCallDueBy as Date)})`
          : `None yet; due by ${card.restrictedCallDueBy ? day(card.restrictedCallDueBy) : '—'}`
    }`,
  );
  fields.push(`*Audit*\n${auditLine(card, now)}`);
  return fields;
}

function auditLine(card: CardModel, now: Date): string {
  const a = card.audit;
  if (a?.status === 'passed') return `:white_check_mark: Passed (${escapeMrkdwn(a.auditor)})`;
  if (a?.status === 'remediation') {
    const next = [...card.openRemediation].sort((x, y) => x.dueOn.getTime() - y.dueOn.getTime())[0];
    return `Remediation: *${card.openRemediation.length} open*${next ? `, next due ${day(next.dueOn)}` : ''} (${escapeMrkdwn(a.auditor)})`;
  }
  if (a) return `Scheduled ${day(a.scheduledFor)} with ${escapeMrkdwn(a.auditor)}`;
  if (!card.auditDueOn) return '_Due 90+ days after go-live_';
  return now.getTime() >= card.auditDueOn.getTime()
    ? `:warning: *Due since ${day(card.auditDueOn)}*, not scheduled`
    : `Due ${day(card.auditDueOn)}`;
}
