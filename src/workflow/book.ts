import { hasProductionLife } from './late.ts';
import type { CommandType, WorkflowState } from './types.ts';

/**
 * The rule book as data, the part the dead-end test and the README read: what each command
 * does to an application's course. `progress` moves it toward an outcome (a stage passed, a
 * round closed, an answer judged); `exit` ends it short of approval (a denial, a withdrawal);
 * `bookkeeping` records a fact or an owner and leaves the course as it is. Who may issue each
 * command is ALLOWED_ROLES; where, `stateAllows`: this table says why it matters.
 */
export const COMMAND_KINDS: Record<CommandType, 'progress' | 'exit' | 'bookkeeping'> = {
  claim: 'progress',
  assign: 'bookkeeping',
  business_review: 'progress',
  reopen: 'progress',
  withdraw: 'exit',
  record_gap: 'bookkeeping',
  resolve_gap: 'progress',
  request_information: 'progress',
  send_questionnaire: 'progress',
  record_answers: 'progress',
  review_answers: 'progress',
  pass_security: 'progress',
  developer_replied: 'progress',
  deny_security: 'exit',
  skip_questionnaire: 'progress',
  schedule_review: 'progress',
  reschedule_review: 'bookkeeping',
  cancel_review: 'bookkeeping',
  record_outcome: 'progress',
  mark_answered: 'progress',
  record_go_live: 'progress',
  record_restricted_call: 'bookkeeping',
  schedule_audit: 'progress',
  record_audit_outcome: 'progress',
  close_remediation: 'progress',
  deny_architecture: 'exit',
  fast_track: 'progress',
  ask_role_meeting: 'bookkeeping',
  // Access taken away ends the production life short (for now, or for good); given back, it goes on.
  suspend_access: 'exit',
  reinstate_access: 'progress',
  revoke_access: 'exit',
};

/**
 * States that need no way forward, and why. Everything else the workflow can reach must have
 * one: the dead-end test walks every reachable state and checks it.
 */
export const FINAL_BY_DESIGN: readonly { name: string; why: string; holds: (s: WorkflowState) => boolean }[] = [
  {
    name: 'withdrawn',
    why: "Final for this cycle: the way forward is the developer's resubmission through intake, which opens a new review cycle at Stage 1 (a reviewer may fast-track it to where this one ended).",
    holds: (s) => s.stage === 'closed' && s.status === 'withdrawn',
  },
  {
    name: 'rejected',
    why: 'Final for this cycle: the developer may address the reason and resubmit through intake, which opens a new review cycle at Stage 1 (a reviewer may fast-track it to where this one ended); an admin may also reopen it.',
    holds: (s) => s.stage === 'closed' && s.status === 'rejected',
  },
  {
    name: 'approved, live, audit passed',
    why: 'Nothing is due: restricted calls are still recorded as they come, a new audit may be scheduled when Amazon asks.',
    // A role review (restricted roles added through intake) leaves `approved`, and must come back to it.
    holds: (s) =>
      s.stage === 'approved' && s.productionSince !== null && s.audit?.status === 'passed' && (s.access ?? 'active') === 'active',
  },
  {
    name: 'access revoked',
    why: 'An admin ended restricted access for good in this cycle; a new cycle can follow a resubmission of the profile.',
    holds: (s) => hasProductionLife(s) && s.access === 'revoked',
  },
];

/**
 * States an admin's decision put the application in, whose way forward is an admin's decision
 * too: the dead-end test counts an admin's step out of them as a way forward (the team alone
 * must carry every other state on).
 */
export const ADMIN_HELD: readonly { name: string; why: string; holds: (s: WorkflowState) => boolean }[] = [
  {
    name: 'access suspended',
    why: 'An admin suspended access; an admin reinstates it (or revokes it for good).',
    holds: (s) => hasProductionLife(s) && s.access === 'suspended',
  },
];
