import { BUSINESS_CRITERIA, controlArea } from '../src/workflow/controls.ts';
import { STAGE_LABELS, STATUS_LABELS, type Stage, type Status } from '../src/workflow/states.ts';
import { describeCycleEvent } from './cycles.ts';
import { describeLateEvent } from './events-late.ts';
import { escapeMrkdwn, slackDate, truncate, userMention } from './format.ts';
import type { HistoryEntry } from './types.ts';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const quote = (text: string, max = 300) => `_${escapeMrkdwn(truncate(text.replace(/\s+/g, ' '), max))}_`;
const area = (id: unknown) => controlArea(str(id))?.label ?? escapeMrkdwn(str(id));

function actorName(actor: string): string {
  if (actor === 'intake') return 'The developer';
  if (actor === 'system') return 'pii-review';
  return userMention(actor);
}

type StateSnapshot = { stage?: Stage; status?: Status };
const moved = (p: Record<string, unknown>) => {
  const after = (p.after ?? {}) as StateSnapshot;
  return after.stage && after.status ? `${STAGE_LABELS[after.stage]}, ${STATUS_LABELS[after.status].toLowerCase()}` : '';
};

/** One line of history in mrkdwn; the same line is posted in the card's thread. */
export function describeEvent(event: HistoryEntry): string {
  const who = actorName(event.actor);
  const p = event.payload;
  switch (event.type) {
    case 'application.received':
      return event.actor === 'intake'
        ? 'Application received through intake.'
        : `${who} entered the application by hand (\`/pii new\`).`;
    case 'application.updated': {
      const fields = strings(p.changedFields).map((f) => `\`${escapeMrkdwn(f)}\``);
      const before = p.before as StateSnapshot | undefined;
      const after = p.after as StateSnapshot | undefined;
      const back = before?.status === 'waiting_on_developer' && after?.status === 'in_review' ? ' It is back in review.' : '';
      return `${who} updated the application: ${fields.join(', ') || 'no visible field'}.${back}`;
    }
    case 'application.claimed':
      return `${who} claimed the application.`;
    case 'application.assigned':
      return `${who} assigned the application to ${userMention(str(p.assigneeId))}.`;
    case 'business_review.passed':
      return `${who} passed the business review: every criterion met. Now ${moved(p)}.`;
    case 'business_review.rejected': {
      const criteria = (p.criteria ?? {}) as Record<string, { pass?: boolean; note?: string }>;
      const failed = BUSINESS_CRITERIA.filter((c) => criteria[c.id]?.pass === false).map((c) => c.label);
      return `${who} *rejected* the application in the business review (failed: ${failed.join(', ')}). The general denial text (template v${Number(p.templateVersion)}${p.denialEdited ? ', edited' : ''}) was recorded as sent to the developer.`;
    }
    case 'application.reopened':
      return `${who} reopened the application: ${quote(str(p.reason))}. Now ${moved(p)}.`;
    case 'application.withdrawn':
      return `${who} withdrew the application: ${quote(str(p.reason))}.`;
    case 'application.purged':
      return `Its private data (contact details, answers, replies, gap texts) was deleted under the retention policy, ${Number(p.retentionDays)} days after the review ended. A new submission from the developer opens a new cycle.`;
    case 'review_cycle.purged':
      return `The private texts of cycle ${Number(p.cycle)} (answers, replies, gap texts, denial notes) were deleted under the retention policy, ${Number(p.retentionDays)} days after it ended.`;
    // Gap descriptions are private (DOMAIN.md): the thread names area and severity; View submission has the text.
    case 'gap.recorded': {
      const answer = Number(p.securityAnswer) > 0 ? ` on security answer ${Number(p.securityAnswer)}` : '';
      return `${who} recorded a *${escapeMrkdwn(str(p.severity))}* gap in ${area(p.area)}${answer} (described in View submission).`;
    }
    case 'gap.resolved':
      return `${who} resolved the ${area(p.area)} gap.`;
    case 'information.requested':
      return `${who} requested more information from the developer (round ${Number(p.round)}). Waiting on the developer.`;
    case 'questionnaire.sent':
      return `${who} sent the security questionnaire v${escapeMrkdwn(str(p.version))} (${Number(p.questions)} questions). Waiting on the developer.`;
    case 'questionnaire.answers_recorded':
      return `${who} recorded questionnaire answers: ${strings(p.questionIds).map(escapeMrkdwn).join(', ') || 'none changed'}.`;
    case 'questionnaire.answers_reviewed': {
      const accepted = strings(p.accepted);
      const raised = Array.isArray(p.raised) ? (p.raised as { questionId: string; severity: string }[]) : [];
      const parts = [
        accepted.length ? `accepted ${accepted.map(escapeMrkdwn).join(', ')}` : '',
        raised.length
          ? `raised gaps on ${raised.map((r) => `${escapeMrkdwn(r.questionId)} (${escapeMrkdwn(r.severity)})`).join(', ')}`
          : '',
      ].filter(Boolean);
      const resolved = Array.isArray(p.resolvedGaps) ? p.resolvedGaps.length : 0;
      if (resolved > 0) parts.push(`resolved the ${resolved} gap${resolved === 1 ? '' : 's'} they had raised`);
      return `${who} reviewed questionnaire answers: ${parts.join('; ')}.`;
    }
    case 'questionnaire.skipped':
      // The reason is about the applicant: it stays in View submission, never in the channel.
      return `${who} skipped the security questionnaire (private track); the reason is in View submission.`;
    case 'developer.replied': {
      const n = Number(p.addresses) || 0;
      const addressed =
        n > 0 ? ` It addresses ${n} open ${p.addressesKind === 'questions' ? 'question' : 'gap'}${n === 1 ? '' : 's'}.` : '';
      const evidence = p.evidence ? ' Evidence link recorded.' : '';
      return `${who} recorded the developer's reply (received outside intake).${addressed}${evidence} Now ${moved(p)}.`;
    }
    case 'security.rejected':
    case 'review.rejected': {
      const stage = str(p.rejectedAtStage) === 'architecture' ? 'Stage 3 (architecture review)' : 'Stage 2 (security questions)';
      // The thread quotes the text itself (withDenialText), as for a Stage 1 denial.
      return `${who} *rejected* the application at ${stage}. The general denial text (template v${Number(p.templateVersion)}${p.denialEdited ? ', edited' : ''}) was recorded as sent to the developer.`;
    }
    case 'security.passed':
      return `${who} passed Stage 2: every answer accepted, no gap open. Now ${moved(p)}.`;
    default:
      return describeLateEvent(event, who) ?? describeCycleEvent(event, who) ?? `${who}: ${escapeMrkdwn(event.type)}`;
  }
}

export function historyLine(event: HistoryEntry): string {
  return `${slackDate(event.at)} · ${describeEvent(event)}`;
}

/** The thread line of a denial carries the text as sent, quoted, so reviewers see what the developer got. */
export function withDenialText(line: string, denial: string | undefined): string {
  if (denial === undefined) return line;
  const quoted = escapeMrkdwn(denial.trim() || '(empty)')
    .split('\n')
    .map((l) => `>${l}`)
    .join('\n');
  return `${line}\n*Denial text as sent to the developer:*\n${quoted}`;
}
