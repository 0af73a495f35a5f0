import {
  AGENDA_MAX,
  AUDITORS,
  DURATIONS,
  HELD_EARLY,
  OUTSIDE_HOURS_OK,
  REMEDIATION_ROWS,
  STAGE3_CALLBACKS,
} from '../../../views/modals/stage3.ts';
import type { ReviewContext } from '../../reviews/review-context.ts';
import type { Command } from '../../workflow/rules.ts';
import type { FormReader } from './values.ts';

/** Parsers that read the application (open gaps, questions sent…) get its context; the others skip the read. */
type Parse = (form: FormReader, ctx: ReviewContext | undefined) => Command | undefined;

function meeting(form: FormReader) {
  const architectId = form.user('architect');
  const startsAt = form.dateTime('starts_at');
  const duration = form.choice('duration', DURATIONS.map(String));
  const agenda = form.text('agenda', { required: true, max: AGENDA_MAX });
  const outsideHoursConfirmed = form.choices('confirm_hours', [OUTSIDE_HOURS_OK], { required: false }).length > 0;
  if (!architectId || !startsAt || !duration) return undefined;
  return { architectId, startsAt, durationMinutes: Number(duration), agenda, outsideHoursConfirmed };
}

/** Stage 3 and after approval: form → workflow command. */
export const LATE_PARSERS: Record<string, Parse> = {
  [STAGE3_CALLBACKS.schedule]: (form) => {
    const m = meeting(form);
    return m ? { type: 'schedule_review', ...m } : undefined;
  },
  [STAGE3_CALLBACKS.reschedule]: (form) => {
    const m = meeting(form);
    return m ? { type: 'reschedule_review', ...m } : undefined;
  },
  [STAGE3_CALLBACKS.cancel]: (form) => ({ type: 'cancel_review', reason: form.text('reason', { required: true, max: 2000 }) }),
  [STAGE3_CALLBACKS.outcome]: (form) => {
    const outcome = form.choice('outcome', ['approved', 'clarification'] as const);
    const questions = form
      .text('questions', { max: 3000 })
      .split('\n')
      .map((q) => q.trim())
      .filter(Boolean);
    if (outcome === 'clarification' && questions.length === 0) form.fail('questions', 'List the open questions, one per line.');
    if (outcome === 'approved' && questions.length > 0)
      form.fail('questions', 'Approval leaves no open question: clear this, or choose clarification.');
    if (!outcome) return undefined;
    const heldEarly = form.choices(HELD_EARLY, [HELD_EARLY], { required: false }).length > 0 ? { heldEarly: true } : {};
    return outcome === 'approved'
      ? { type: 'record_outcome', outcome, ...heldEarly }
      : { type: 'record_outcome', outcome, questions, ...heldEarly };
  },
  [STAGE3_CALLBACKS.answered]: (form, ctx) => ({
    type: 'mark_answered',
    questionIds: form
      .choices(
        'questions',
        (ctx?.openQuestions ?? []).map((q) => String(q.id)),
      )
      .map(Number),
  }),
  [STAGE3_CALLBACKS.goLive]: (form) => {
    const productionSince = form.date('production_since');
    return productionSince ? { type: 'record_go_live', productionSince } : undefined;
  },
  [STAGE3_CALLBACKS.restrictedCall]: (form) => {
    const at = form.dateTime('at');
    const operation = form.text('operation', { required: true, max: 200 });
    return at ? { type: 'record_restricted_call', at, operation } : undefined;
  },
  [STAGE3_CALLBACKS.scheduleAudit]: (form) => {
    const choice = form.choice('auditor', AUDITORS);
    const other = form.text('auditor_other', { max: 200 });
    if (choice === 'Other' && !other) form.fail('auditor_other', 'Name the auditor.');
    const scheduledFor = form.date('scheduled_for');
    if (!choice || !scheduledFor) return undefined;
    return { type: 'schedule_audit', auditor: choice === 'Other' ? other : choice, scheduledFor };
  },
  [STAGE3_CALLBACKS.auditOutcome]: (form) => {
    const outcome = form.choice('outcome', ['passed', 'remediation', 'failed'] as const);
    const items: { text: string; dueOn: Date }[] = [];
    for (let n = 1; n <= REMEDIATION_ROWS; n += 1) {
      const text = form.text(`item.${n}`, { max: 500 });
      const dueOn = form.date(`due.${n}`, { required: false });
      if (text && !dueOn) form.fail(`due.${n}`, 'Each item needs a due date.');
      if (!text && dueOn) form.fail(`item.${n}`, 'Describe the item, or clear its date.');
      if (text && dueOn) items.push({ text, dueOn });
    }
    if (outcome === 'remediation' && items.length === 0 && form.ok) form.fail('item.1', 'List at least one remediation item.');
    if (outcome !== 'remediation' && items.length > 0 && form.ok)
      form.fail('item.1', 'Only a remediation outcome has items: clear them, or choose remediation.');
    if (!outcome) return undefined;
    return outcome === 'remediation'
      ? { type: 'record_audit_outcome', outcome, items }
      : { type: 'record_audit_outcome', outcome };
  },
  [STAGE3_CALLBACKS.closeRemediation]: (form, ctx) => {
    const item = form.choice(
      'item',
      (ctx?.openRemediation ?? []).map((i) => String(i.id)),
    );
    return item ? { type: 'close_remediation', itemId: Number(item) } : undefined;
  },
};
