import { SUSPENSION_REASON_LABELS, type SuspensionReason } from '../src/workflow/access.ts';
import { roleList } from './cycles.ts';
import { calendarDate, escapeMrkdwn, slackDate, truncate, userMention } from './format.ts';
import type { HistoryEntry } from './types.ts';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** A date from a payload, written by `format`; '?' where the payload holds none. */
const dated = (format: (d: Date) => string) => (v: unknown) => {
  const d = new Date(str(v));
  return Number.isNaN(d.getTime()) ? '?' : format(d);
};
const when = dated((d) => slackDate(d));
const day = dated((d) => slackDate(d, '{date_short}'));
/** A day without a time (a go-live, an audit's date, a due date): the same day for every reader. */
const calendar = dated(calendarDate);
const quote = (text: string) => `_${escapeMrkdwn(truncate(text.replace(/\s+/g, ' '), 300))}_`;

const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);

/** What a revocation ended of the audits under way, in a clause (empty when nothing was). */
function settled(p: Record<string, unknown>): string {
  const audits = count(p.auditsCancelled);
  const items = count(p.remediationClosed);
  const ended = [
    ...(audits === 0 ? [] : [audits === 1 ? 'the audit under way is cancelled' : `${audits} audits under way are cancelled`]),
    ...(items === 0 ? [] : [`${items} open remediation item${items === 1 ? ' is' : 's are'} closed`]),
  ];
  return ended.length === 0 ? '' : ` With it, ${ended.join(' and ')}.`;
}

/** Thread lines of Stage 3 and after approval; undefined for any other event. */
export function describeLateEvent(event: HistoryEntry, who: string): string | undefined {
  const p = event.payload;
  switch (event.type) {
    case 'review.scheduled':
      return `${who} scheduled the architecture review with ${userMention(str(p.architectId))} for ${when(p.startsAt)} (${Number(p.durationMinutes)} min). The invite is attached.`;
    case 'review.rescheduled':
      return `${who} moved the architecture review: ${when(p.from)} → ${when(p.startsAt)} with ${userMention(str(p.architectId))}. The updated invite is attached.`;
    case 'review.cancelled':
      return `${who} cancelled the architecture review of ${when(p.startsAt)}: ${quote(str(p.reason))}`;
    case 'review.approved':
      return `${who} recorded the architecture review outcome: *approved* for restricted access.${p.heldEarly ? ' The meeting was held early.' : ''} :tada:`;
    case 'review.clarification_required': {
      const questions = Array.isArray(p.questions) ? (p.questions as string[]) : [];
      return `${who} recorded the outcome: *clarification required* (${questions.length} question${questions.length === 1 ? '' : 's'}): ${questions.map((q, i) => `${i + 1}. ${quote(q)}`).join(' ')}${p.heldEarly ? ' The meeting was held early.' : ''}`;
    }
    case 'clarification.answered': {
      const ids = Array.isArray(p.questionIds) ? p.questionIds.length : 0;
      return `${who} marked ${ids} clarification question${ids === 1 ? '' : 's'} answered.`;
    }
    case 'production.live':
      return p.from
        ? `${who} changed the production go-live: ${calendar(p.from)} → ${calendar(p.productionSince)}. An implementation audit may come from ${calendar(p.auditDueOn)}.`
        : `${who} recorded the production go-live: ${calendar(p.productionSince)}. An implementation audit may come from ${calendar(p.auditDueOn)}.`;
    case 'restricted_call.recorded':
      return `${who} recorded a successful restricted API call (\`${escapeMrkdwn(str(p.operation))}\`), made ${when(p.at)}.${
        (p.access as { to?: unknown } | undefined)?.to === 'active' ? ' Access is *active* again.' : ''
      }`;
    case 'audit.scheduled':
      return p.from
        ? `${who} moved the audit with ${escapeMrkdwn(str(p.auditor))}: ${calendar(p.from)} → ${calendar(p.scheduledFor)}.`
        : `${who} scheduled ${p.earlier ? 'a new audit' : 'the audit'} with ${escapeMrkdwn(str(p.auditor))} on ${calendar(p.scheduledFor)}.`;
    case 'audit.failed': {
      const admins = Array.isArray(p.admins) ? (p.admins as unknown[]).filter((a): a is string => typeof a === 'string') : [];
      const ask = admins.length > 0 ? admins.map(userMention).join(' ') : 'Admins';
      const suspendable = p.access === 'active' || p.access === 'at_risk' || p.access === undefined;
      return `${who} recorded the audit outcome: *failed* (${escapeMrkdwn(str(p.auditor))}).${
        suspendable ? ` ${ask}: decide whether to suspend access (*Suspend access…* in the card's ⋯ menu).` : ''
      }`;
    }
    case 'access.at_risk':
      return p.reason === 'inactive'
        ? `:warning: Access is *at risk* since ${day(p.since)}: no successful restricted API call since ${day(p.lastCallAt)}.`
        : p.reason === 'no_call_since_reinstatement'
          ? `:warning: Access is *at risk* since ${day(p.since)}: no successful restricted API call since it was reinstated.`
          : `:warning: Access is *at risk* since ${day(p.since)}: no successful restricted API call since approval.`;
    case 'access.suspended':
      return `${who} *suspended* access (${escapeMrkdwn(SUSPENSION_REASON_LABELS[p.reason as SuspensionReason] ?? str(p.reason))})${p.note ? `: ${quote(str(p.note))}` : '.'}`;
    case 'access.reinstated':
      return `${who} *reinstated* access: it is active again.${p.note ? ` ${quote(str(p.note))}` : ''}`;
    case 'access.revoked': {
      const review = Array.isArray(p.roleReviewEnded)
        ? ` The role review under way ends with it: ${roleList(p.roleReviewEnded)} not granted.`
        : '';
      return `${who} *revoked* access, for good in this cycle: ${quote(str(p.note))}${review}${settled(p)}`;
    }
    case 'audit.passed':
      return `${who} recorded the audit outcome: *passed* (${escapeMrkdwn(str(p.auditor))}).`;
    case 'audit.remediation_required': {
      const items = Array.isArray(p.items) ? (p.items as { text: string; dueOn: string }[]) : [];
      return `${who} recorded the audit outcome: *remediation required*: ${items.map((i) => `${quote(i.text)} (due ${calendar(i.dueOn)})`).join('; ')}`;
    }
    case 'remediation.closed':
      return `${who} closed the remediation item ${quote(str(p.text))}.${p.auditPassed ? ' Every item is closed: the audit is *passed*.' : ''}`;
    default:
      return undefined;
  }
}
