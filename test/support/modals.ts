import type { StoredView } from '../../src/sandbox/emulator/state.ts';
import { type Harness, USERS } from './harness.ts';
import { openModal } from './open-modal.ts';
import { ALL_PASS, input, inputMore, type reviewer } from './reviewer.ts';
import { HELD_EARLY, MEETING_AT, optionsOf, prepare, type Setup, START } from './states.ts';

export { openModal };

type View = StoredView['view'];
/** Fills a modal with valid choices; `text(blockId)` supplies every free text. */
type Fill = (view: View, text: (blockId: string) => string) => Record<string, unknown>;

/** Every modal of the workflow: how it is opened, in which state, by whom, and what a valid submission looks like. */
export type ModalSpec = { callback: string; action: string; setup: Setup | 'none'; opener: string; fill: Fill };

const date = inputMore.date;
const pick = (view: View, blockId: string) => input.select(optionsOf(view, blockId)[0] ?? '');

export const MODALS: ModalSpec[] = [
  {
    callback: 'business_review',
    action: 'card.business_review',
    setup: 'fresh',
    opener: USERS.reviewer,
    fill: (_v, t) => ({ ...ALL_PASS, 'note.use_case': input.text(t('note.use_case')), decision: input.radio('advance') }),
  },
  {
    callback: 'record_gap',
    action: 'card.record_gap',
    setup: 'stage2',
    opener: USERS.reviewer,
    fill: (_v, t) => ({
      area: input.select('third_parties'),
      severity: input.select('high'),
      description: input.text(t('description')),
    }),
  },
  {
    callback: 'resolve_gap',
    action: 'card.resolve_gap',
    setup: 'gap',
    opener: USERS.reviewer,
    fill: (v, t) => ({ gap: pick(v, 'gap'), resolution: input.text(t('resolution')) }),
  },
  {
    callback: 'request_information',
    action: 'card.request_information',
    setup: 'stage2',
    opener: USERS.reviewer,
    fill: (_v, t) => ({ message: input.text(t('message')) }),
  },
  {
    callback: 'record_answers',
    action: 'card.record_answers',
    setup: 'sent',
    opener: USERS.reviewer,
    fill: (_v, t) => ({ 'answer.Q01': input.text(t('answer.Q01')) }),
  },
  {
    callback: 'review_answers',
    action: 'card.review_answers',
    setup: 'answered',
    opener: USERS.reviewer,
    fill: (_v, t) => ({ 'verdict.Q01': input.select('gap:medium'), 'note.Q01': input.text(t('note.Q01')) }),
  },
  {
    callback: 'assign',
    action: 'admin:assign',
    setup: 'fresh',
    opener: USERS.admin,
    fill: () => ({ assignee: input.user(USERS.reviewer) }),
  },
  {
    callback: 'withdraw',
    action: 'admin:withdraw',
    setup: 'fresh',
    opener: USERS.admin,
    fill: (_v, t) => ({ reason: input.text(t('reason')) }),
  },
  {
    callback: 'reopen',
    action: 'admin:reopen',
    setup: 'rejected',
    opener: USERS.admin,
    fill: (_v, t) => ({ reason: input.text(t('reason')) }),
  },
  {
    callback: 'edit_template',
    action: 'command:template denial',
    setup: 'none',
    opener: USERS.admin,
    fill: (_v, t) => ({ body: input.text(t('body')) }),
  },
  {
    callback: 'schedule_review',
    action: 'card.schedule_review',
    setup: 'stage3',
    opener: USERS.reviewer,
    fill: (_v, t) => ({
      architect: input.user(USERS.architect),
      starts_at: inputMore.dateTime(MEETING_AT),
      duration: input.select('60'),
      agenda: input.text(t('agenda')),
    }),
  },
  {
    callback: 'reschedule_review',
    action: 'card.reschedule_review',
    setup: 'scheduled',
    opener: USERS.architect,
    fill: (_v, t) => ({
      architect: input.user(USERS.architect),
      starts_at: inputMore.dateTime(new Date(MEETING_AT.getTime() + 3600_000)),
      duration: input.select('90'),
      agenda: input.text(t('agenda')),
    }),
  },
  {
    callback: 'cancel_review',
    action: 'card.cancel_review',
    setup: 'scheduled',
    opener: USERS.reviewer,
    fill: (_v, t) => ({ reason: input.text(t('reason')) }),
  },
  {
    callback: 'record_outcome',
    action: 'card.record_outcome',
    setup: 'scheduled',
    opener: USERS.architect,
    fill: (_v, t) => ({ outcome: input.radio('clarification'), questions: input.text(t('questions')), ...HELD_EARLY }),
  },
  {
    callback: 'mark_answered',
    action: 'card.mark_answered',
    setup: 'clarification',
    opener: USERS.reviewer,
    fill: (v) => ({ questions: inputMore.multi(optionsOf(v, 'questions').slice(0, 1)) }),
  },
  {
    callback: 'record_go_live',
    action: 'card.record_go_live',
    setup: 'approved',
    opener: USERS.reviewer,
    fill: () => ({ production_since: date(START.slice(0, 10)) }),
  },
  {
    callback: 'record_restricted_call',
    action: 'card.record_restricted_call',
    setup: 'approved',
    opener: USERS.reviewer,
    // Approved at START by the 'approved' state: a call is true from then on.
    fill: (_v, t) => ({ at: inputMore.dateTime(new Date(START)), operation: input.text(t('operation')) }),
  },
  {
    callback: 'schedule_audit',
    action: 'card.schedule_audit',
    setup: 'live',
    opener: USERS.reviewer,
    fill: (_v, t) => ({
      auditor: input.select('Other'),
      auditor_other: input.text(t('auditor_other')),
      scheduled_for: date('2026-06-15'),
    }),
  },
  {
    callback: 'record_audit_outcome',
    action: 'card.record_audit_outcome',
    setup: 'audit',
    opener: USERS.reviewer,
    fill: (_v, t) => ({ outcome: input.radio('remediation'), 'item.1': input.text(t('item.1')), 'due.1': date('2026-07-01') }),
  },
  {
    callback: 'developer_replied',
    action: 'card.developer_replied',
    // Stage 3: where architects record replies too (in Stage 2 only reviewers and admins do).
    setup: 'clarification',
    opener: USERS.reviewer,
    fill: (_v, t) => ({ summary: input.text(t('summary')), evidence_url: input.text('https://example.com/evidence.pdf') }),
  },
  {
    callback: 'deny_security',
    action: 'card.deny_security',
    setup: 'stage2',
    opener: USERS.reviewer,
    fill: (_v, t) => ({ denial_text: input.text(t('denial_text')), reason_note: input.text(t('reason_note')) }),
  },
  {
    callback: 'deny_architecture',
    action: 'card.deny_architecture',
    setup: 'scheduled',
    opener: USERS.architect,
    fill: (_v, t) => ({
      denial_text: input.text(t('denial_text')),
      reason_area: input.select('logging_monitoring'),
      reason_note: input.text(t('reason_note')),
    }),
  },
  {
    callback: 'close_remediation',
    action: 'card.close_remediation',
    setup: 'remediation',
    opener: USERS.reviewer,
    fill: (v) => ({ item: pick(v, 'item') }),
  },
  {
    callback: 'suspend_access',
    action: 'admin:suspend_access',
    setup: 'approved',
    opener: USERS.admin,
    fill: (_v, t) => ({ reason: input.radio('other'), note: input.text(t('note')) }),
  },
  {
    callback: 'reinstate_access',
    action: 'admin:reinstate_access',
    setup: 'suspended',
    opener: USERS.admin,
    fill: (_v, t) => ({ note: input.text(t('note')) }),
  },
  {
    callback: 'revoke_access',
    action: 'admin:revoke_access',
    setup: 'approved',
    opener: USERS.admin,
    fill: (_v, t) => ({ note: input.text(t('note')) }),
  },
];

/** A fresh application in the modal's state with the modal open; answers both. */
export async function freshModal(h: Harness, r: ReturnType<typeof reviewer>, spec: ModalSpec) {
  const id = spec.setup === 'none' ? undefined : await prepare(h, r, spec.setup);
  const view = await openModal(h, r, spec, spec.opener, id);
  if (!view) throw new Error(`${spec.callback} did not open for ${spec.opener} on #${id}`);
  return { id, view };
}
