import { CYCLE_CALLBACKS, CYCLE_REASON_MAX } from '../../../views/cycles.ts';
import { ACCESS_CALLBACKS, ACCESS_NOTE_MAX } from '../../../views/modals/access.ts';
import { DENIAL_MAX, EVIDENCE_URL_MAX, EXIT_CALLBACKS, REASON_NOTE_MAX, SUMMARY_MAX } from '../../../views/modals/exits.ts';
import type { ReviewContext } from '../../reviews/review-context.ts';
import { SUSPENSION_REASONS } from '../../workflow/access.ts';
import { CONTROL_AREA_IDS } from '../../workflow/controls.ts';
import { type Command, isEvidenceUrl } from '../../workflow/rules.ts';
import type { FormReader } from './values.ts';

type Parse = (form: FormReader, ctx: ReviewContext | undefined) => Command | undefined;

function denial(form: FormReader) {
  const denialText = form.text('denial_text', { required: true, max: DENIAL_MAX });
  const area = form.choice('reason_area', CONTROL_AREA_IDS, { required: false });
  const note = form.text('reason_note', { max: REASON_NOTE_MAX });
  if (!area && !note && form.ok) form.fail('reason_note', 'Give the internal reason: a control area, a note, or both.');
  return { denialText, reason: { ...(area ? { area } : {}), ...(note ? { note } : {}) } };
}

/** The exits of Stages 2 and 3: form → workflow command. */
export const EXIT_PARSERS: Record<string, Parse> = {
  [EXIT_CALLBACKS.developerReplied]: (form, ctx) => {
    const summary = form.text('summary', { required: true, max: SUMMARY_MAX });
    const evidenceUrl = form.text('evidence_url', { max: EVIDENCE_URL_MAX });
    if (evidenceUrl && !isEvidenceUrl(evidenceUrl))
      form.fail('evidence_url', 'Give a full link starting with https:// (or leave it empty).');
    const open =
      ctx?.state.stage === 'architecture'
        ? ctx.openQuestions.map((q) => String(q.id))
        : (ctx?.openGaps ?? []).map((g) => String(g.id));
    const addresses = form.choices('addresses', open, { required: false }).map(Number);
    return { type: 'developer_replied', summary, addresses, ...(evidenceUrl ? { evidenceUrl } : {}) };
  },
  [EXIT_CALLBACKS.denySecurity]: (form) => ({ type: 'deny_security', ...denial(form) }),
  [EXIT_CALLBACKS.denyArchitecture]: (form) => ({ type: 'deny_architecture', ...denial(form) }),
  [ACCESS_CALLBACKS.suspend]: (form) => {
    const reason = form.choice('reason', SUSPENSION_REASONS);
    const note = form.text('note', { max: ACCESS_NOTE_MAX });
    if (reason === 'other' && !note) form.fail('note', 'Say why access is suspended (the reason is Other).');
    return reason ? { type: 'suspend_access', reason, note } : undefined;
  },
  [ACCESS_CALLBACKS.reinstate]: (form) => ({ type: 'reinstate_access', note: form.text('note', { max: ACCESS_NOTE_MAX }) }),
  [ACCESS_CALLBACKS.revoke]: (form) => ({
    type: 'revoke_access',
    note: form.text('note', { required: true, max: ACCESS_NOTE_MAX }),
  }),
  [EXIT_CALLBACKS.skipQuestionnaire]: (form) => ({
    type: 'skip_questionnaire',
    reason: form.text('reason', { required: true, max: 2000 }),
  }),
  [CYCLE_CALLBACKS.fastTrack]: (form) => ({
    type: 'fast_track',
    reason: form.text('reason', { required: true, max: CYCLE_REASON_MAX }),
  }),
  [CYCLE_CALLBACKS.askRoleMeeting]: (form) => ({
    type: 'ask_role_meeting',
    reason: form.text('reason', { required: true, max: CYCLE_REASON_MAX }),
  }),
};
