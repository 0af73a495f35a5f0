import { dayOverUtc } from '../src/time.ts';
import { ACCESS_LABELS, SUSPENSION_REASON_LABELS } from '../src/workflow/access.ts';
import { calendarDate, escapeMrkdwn, slackDate, userMention } from './format.ts';
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
  // Questions are Stage 3's to answer and tick off: once the review ends (denied, withdrawn, a role review over) they are history.
  // Waiting on the developer until they reply; back in review, the reply is there to tick off against.
  if (card.stage === 'architecture' && card.openQuestions > 0)
    fields.push(
      card.status === 'waiting_on_developer'
        ? `*Open questions*\n*${card.openQuestions}* waiting on the developer`
        : `*Open questions*\n*${card.openQuestions}* open: the developer has replied. Tick off the answered ones with *Mark questions answered*.`,
    );
  // Once approved, the production life shows whatever stage a role review is in.
  if (!(card.productionLife ?? card.stage === 'approved')) return fields;
  fields.push(
    `*Production*\n${card.productionSince ? `Live since ${calendarDate(card.productionSince)}` : '_Go-live not recorded_'}`,
  );
  fields.push(`*Restricted access*\n${accessLine(card)}`);
  fields.push(`*Audit*\n${auditLine(card, now)}`);
  return fields;
}

const REASONS: Record<string, string> = { ...SUSPENSION_REASON_LABELS };

/** Access as a state: active (with the last call or when the first is due), at risk, suspended, revoked. */
function accessLine(card: CardModel): string {
  const status = card.access?.status ?? 'active';
  const since = card.access?.since ? ` since ${day(card.access.since)}` : '';
  const lastCall = card.lastRestrictedCallAt
    ? // Its UTC day, not its time: a later call redraws the card only when it moves the day (restrictedCallNotice).
      `last successful call ${calendarDate(card.lastRestrictedCallAt)} (UTC)`
    : `no successful call yet${card.restrictedCallDueBy ? `; due by ${day(card.restrictedCallDueBy)}` : ''}`;
  switch (status) {
    case 'active':
      return `${ACCESS_LABELS.active} · ${lastCall}`;
    case 'at_risk':
      return `:warning: *${ACCESS_LABELS.at_risk}*${since} · ${lastCall} · the assignee is reminded`;
    case 'suspended':
      return `:no_entry: *${ACCESS_LABELS.suspended}*${since}${card.access?.reason ? ` (${escapeMrkdwn(REASONS[card.access.reason] ?? card.access.reason)})` : ''} · an admin may reinstate or revoke it`;
    case 'revoked':
      return `*${ACCESS_LABELS.revoked}*${since}: final for this cycle`;
  }
}

function auditLine(card: CardModel, now: Date): string {
  const a = card.audit;
  const earlier = card.auditCount && card.auditCount > 1 ? ` · audit ${card.auditCount}` : '';
  if (a?.status === 'passed') return `:white_check_mark: Passed (${escapeMrkdwn(a.auditor)})${earlier}`;
  if (a?.status === 'failed') return `:x: *Failed* (${escapeMrkdwn(a.auditor)})${earlier}`;
  if (a?.status === 'remediation') {
    const next = [...card.openRemediation].sort((x, y) => x.dueOn.getTime() - y.dueOn.getTime())[0];
    const late = next && now >= dayOverUtc(next.dueOn);
    return `Remediation: *${card.openRemediation.length} open*${next ? `, ${late ? '*overdue* since' : 'next due'} ${calendarDate(next.dueOn)}` : ''} (${escapeMrkdwn(a.auditor)})${earlier}`;
  }
  // Ended by the revocation; in a later cycle it is history, and a new audit may come.
  if (a?.status === 'cancelled' && card.access?.status === 'revoked')
    return `_Cancelled when access was revoked_ (${escapeMrkdwn(a.auditor)})${earlier}`;
  if (a && a.status !== 'cancelled') {
    const passed = now >= dayOverUtc(a.scheduledFor);
    return `Scheduled ${calendarDate(a.scheduledFor)} with ${escapeMrkdwn(a.auditor)}${passed ? ' · *awaiting the outcome*' : ''}${earlier}`;
  }
  if (!card.auditDueOn) return '_May come 90+ days after go-live_';
  // An audit may come; none is overdue: eligible is said without a warning sign.
  return now.getTime() >= card.auditDueOn.getTime()
    ? `Eligible for audit since ${calendarDate(card.auditDueOn)}`
    : `Eligible for audit from ${calendarDate(card.auditDueOn)}`;
}
