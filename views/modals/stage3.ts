import { controlArea } from '../../src/workflow/controls.ts';
import { slackDate, truncate } from '../format.ts';
import type { ApplicationSummary } from '../types.ts';
import {
  about,
  type Choice,
  checkboxInput,
  context,
  dateInput,
  dateTimeInput,
  modal,
  multiSelectInput,
  radioInput,
  selectInput,
  textInput,
  userInput,
} from './kit.ts';

export const STAGE3_CALLBACKS = {
  schedule: 'schedule_review',
  reschedule: 'reschedule_review',
  cancel: 'cancel_review',
  outcome: 'record_outcome',
  answered: 'mark_answered',
  goLive: 'record_go_live',
  restrictedCall: 'record_restricted_call',
  scheduleAudit: 'schedule_audit',
  auditOutcome: 'record_audit_outcome',
  closeRemediation: 'close_remediation',
} as const;

export const DURATIONS = [30, 45, 60, 90, 120] as const;
export const AUDITORS = ['Amazon', 'Deloitte', 'PwC', 'Other'] as const;
export const REMEDIATION_ROWS = 5;
export const AGENDA_MAX = 3000;
export const OUTSIDE_HOURS_OK = 'outside_hours_ok';

export type MeetingDraft = { architectId: string | null; startsAt?: Date; durationMinutes: number; agenda: string };

/**
 * The agenda starts from what the review already knows: every gap raised, by control area and
 * severity, and the questionnaire's control areas. The agenda goes into the calendar invite
 * posted in the card's thread, where the channel reads it, so a gap's description (private,
 * DOMAIN.md) stays out of it: the attendees read it in View submission.
 */
export function defaultAgenda(
  gapHistory: readonly { area: string; severity: string; resolvedAt: Date | null }[],
  questionAreas: readonly string[],
): string {
  const lines = ['Screen-share demo of the application: data flows of buyer PII, storage, access, deletion.'];
  if (gapHistory.length > 0) {
    lines.push('', 'Gaps raised during the review (described in View submission):');
    for (const g of gapHistory)
      lines.push(`- ${controlArea(g.area)?.label ?? g.area}, ${g.severity}${g.resolvedAt ? ' (resolved)' : ' (OPEN)'}`);
  }
  const areas = [...new Set(questionAreas)].map((a) => controlArea(a)?.label ?? a);
  if (areas.length > 0) lines.push('', `Questionnaire topics to walk through: ${areas.join(', ')}.`);
  return truncate(lines.join('\n'), AGENDA_MAX);
}

export function scheduleReviewModal(app: ApplicationSummary, draft: MeetingDraft, reschedule: boolean) {
  return modal({
    callbackId: reschedule ? STAGE3_CALLBACKS.reschedule : STAGE3_CALLBACKS.schedule,
    title: reschedule ? 'Reschedule review' : 'Schedule review',
    submit: reschedule ? 'Reschedule' : 'Schedule',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      userInput('architect', 'Solution architect', { initial: draft.architectId, hint: 'Must hold the architect role.' }),
      dateTimeInput('starts_at', 'Date and time', {
        ...(draft.startsAt ? { initial: draft.startsAt } : {}),
        hint: 'In your time zone; at least an hour ahead.',
      }),
      selectInput(
        'duration',
        'Duration',
        DURATIONS.map((m) => ({ value: String(m), text: `${m} minutes` })),
        { initial: String(draft.durationMinutes) },
      ),
      textInput('agenda', 'Agenda', {
        multiline: true,
        initial: draft.agenda,
        max: AGENDA_MAX,
        hint: "Goes into the calendar invite posted in the card's thread: no answers or gap descriptions.",
      }),
      checkboxInput('confirm_hours', 'Working hours', [{ value: OUTSIDE_HOURS_OK, text: 'Outside working hours is fine' }], {
        optional: true,
        hint: 'Architects work 08:00–18:00 in their own time zone; tick this to schedule outside it anyway.',
      }),
    ],
  });
}

export function cancelReviewModal(app: ApplicationSummary) {
  return modal({
    callbackId: STAGE3_CALLBACKS.cancel,
    title: 'Cancel review',
    submit: 'Cancel meeting',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      context('The invite is withdrawn (a calendar CANCEL) and the history keeps the meeting.'),
      textInput('reason', 'Why is it cancelled?', { multiline: true, max: 2000 }),
    ],
  });
}

export const HELD_EARLY = 'held_early';

/** `startsAt`: the meeting's start when it lies ahead, so the form offers the "held early" tick. */
export function outcomeModal(app: ApplicationSummary, startsAt: Date | null = null) {
  return modal({
    callbackId: STAGE3_CALLBACKS.outcome,
    title: 'Review outcome',
    submit: 'Record outcome',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      radioInput('outcome', 'Outcome', [
        { value: 'approved', text: 'Approved', description: 'No open question and no open gap' },
        { value: 'clarification', text: 'Clarification required', description: 'The developer must answer open questions' },
      ]),
      textInput('questions', 'Open questions (one per line)', {
        multiline: true,
        optional: true,
        max: 3000,
        hint: 'Each line is tracked on its own until answered.',
      }),
      ...(startsAt
        ? [
            // In mrkdwn, so Slack shows the start in the reader's own zone (a hint is plain text).
            context(
              `The meeting is scheduled for ${slackDate(startsAt)}. An outcome before then is recorded only if it was held early.`,
            ),
            checkboxInput(HELD_EARLY, 'Meeting time', [{ value: HELD_EARLY, text: 'It was held early' }], { optional: true }),
          ]
        : []),
    ],
  });
}

export function markAnsweredModal(app: ApplicationSummary, open: readonly { id: number; text: string }[]) {
  return modal({
    callbackId: STAGE3_CALLBACKS.answered,
    title: 'Questions answered',
    submit: 'Mark answered',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      multiSelectInput(
        'questions',
        'Answered questions',
        open.map((q) => ({ value: String(q.id), text: q.text.replace(/\s+/g, ' ') })),
      ),
    ],
  });
}

export function goLiveModal(app: ApplicationSummary, auditAfterDays: number, current: Date | null = null) {
  return modal({
    callbackId: STAGE3_CALLBACKS.goLive,
    title: 'Production go-live',
    submit: 'Record go-live',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      dateInput('production_since', 'In production since', {
        ...(current ? { initial: current } : {}),
        hint: `The application becomes eligible for an implementation audit ${auditAfterDays} days later.`,
      }),
    ],
  });
}

export function restrictedCallModal(app: ApplicationSummary) {
  return modal({
    callbackId: STAGE3_CALLBACKS.restrictedCall,
    title: 'Restricted API call',
    submit: 'Record call',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      dateTimeInput('at', 'When the successful call was made'),
      textInput('operation', 'Operation called', { max: 200, placeholder: 'e.g. getOrderAddress' }),
    ],
  });
}

export function scheduleAuditModal(app: ApplicationSummary, dueOn: Date | null, auditor?: string) {
  const choices: Choice[] = AUDITORS.map((a) => ({ value: a, text: a }));
  return modal({
    callbackId: STAGE3_CALLBACKS.scheduleAudit,
    title: 'Schedule audit',
    submit: 'Schedule',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      selectInput('auditor', 'Auditor', choices, {
        ...(auditor ? { initial: (AUDITORS as readonly string[]).includes(auditor) ? auditor : 'Other' } : {}),
      }),
      textInput('auditor_other', 'Auditor name (when Other)', {
        optional: true,
        max: 200,
        ...(auditor && !(AUDITORS as readonly string[]).includes(auditor) ? { initial: auditor } : {}),
      }),
      dateInput('scheduled_for', 'Audit date', { ...(dueOn ? { initial: dueOn } : {}) }),
    ],
  });
}

export function auditOutcomeModal(app: ApplicationSummary) {
  const rows = Array.from({ length: REMEDIATION_ROWS }, (_, i) => i + 1).flatMap((n) => [
    textInput(`item.${n}`, `Remediation item ${n}`, { optional: true, max: 500 }),
    dateInput(`due.${n}`, `Item ${n} due`, { optional: true }),
  ]);
  return modal({
    callbackId: STAGE3_CALLBACKS.auditOutcome,
    title: 'Audit outcome',
    submit: 'Record outcome',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      radioInput('outcome', 'Outcome', [
        { value: 'passed', text: 'Passed' },
        { value: 'remediation', text: 'Remediation required', description: 'List the items of the plan of action' },
        { value: 'failed', text: 'Failed', description: 'Admins are asked whether to suspend access' },
      ]),
      ...rows,
    ],
  });
}

export function closeRemediationModal(app: ApplicationSummary, open: readonly { id: number; text: string; dueOn: Date }[]) {
  return modal({
    callbackId: STAGE3_CALLBACKS.closeRemediation,
    title: 'Close remediation',
    submit: 'Close item',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      selectInput(
        'item',
        'Item',
        open.map((i) => ({
          value: String(i.id),
          text: `${i.dueOn.toISOString().slice(0, 10)} · ${i.text.replace(/\s+/g, ' ')}`,
        })),
      ),
    ],
  });
}
