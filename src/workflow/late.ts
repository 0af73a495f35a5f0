import { formatDistanceStrict } from 'date-fns';
import { dayBegunSomewhere, earliestDayOf, latestToday, startOfDayUtc } from '../time.ts';
import { ROLE_REVIEW_END } from './cycles.ts';
import { denialRefusal } from './denial.ts';
import type { Role } from './roles.ts';
import { meetingTimeProblem } from './scheduling.ts';
import {
  type AuditStatus,
  type Command,
  type CommandType,
  type Outcome,
  type Refusal,
  type RuleEnv,
  refuse,
  type WorkflowState,
  whereItStands,
} from './types.ts';

/** Stage 3 and after approval: the architecture review, go-live, the restricted call, the audit. */
export type LateCommandType = Extract<
  CommandType,
  | 'schedule_review'
  | 'reschedule_review'
  | 'cancel_review'
  | 'record_outcome'
  | 'mark_answered'
  | 'record_go_live'
  | 'record_restricted_call'
  | 'schedule_audit'
  | 'record_audit_outcome'
  | 'close_remediation'
  | 'deny_architecture'
  | 'suspend_access'
  | 'reinstate_access'
  | 'revoke_access'
>;

export const LATE_ROLES: Record<LateCommandType, readonly Role[]> = {
  schedule_review: ['reviewer', 'architect', 'admin'],
  reschedule_review: ['reviewer', 'architect', 'admin'],
  cancel_review: ['reviewer', 'architect', 'admin'],
  // Only the application's own architect among architects; checked against the state in decideLate.
  record_outcome: ['architect', 'admin'],
  mark_answered: ['reviewer', 'architect', 'admin'],
  record_go_live: ['reviewer', 'admin', 'integration'],
  record_restricted_call: ['reviewer', 'admin', 'integration'],
  schedule_audit: ['reviewer', 'admin'],
  record_audit_outcome: ['reviewer', 'admin'],
  close_remediation: ['reviewer', 'admin'],
  // Like the outcome: only the application's own architect among architects.
  deny_architecture: ['architect', 'admin'],
  // Access is the admins' to take away and give back.
  suspend_access: ['admin'],
  reinstate_access: ['admin'],
  revoke_access: ['admin'],
};

export const isLate = (type: CommandType): type is LateCommandType => type in LATE_ROLES;
export const isLateCommand = (command: Command): command is Extract<Command, { type: LateCommandType }> => isLate(command.type);

const inStage3 = (s: WorkflowState) => s.stage === 'architecture';
const scheduled = (s: WorkflowState) => s.meeting?.status === 'scheduled';
/**
 * Approved in this application's life and not closed: its production life goes on while a role
 * review moves stage and status back into review.
 */
export const hasProductionLife = (s: Pick<WorkflowState, 'approvedAt' | 'stage'>) => s.approvedAt != null && s.stage !== 'closed';
const accessOf = (s: WorkflowState) => s.access ?? 'active';
const revoked = (s: WorkflowState) => hasProductionLife(s) && accessOf(s) === 'revoked';
const noLife = (s: WorkflowState, what: string) =>
  revoked(s)
    ? refuse('state', `Access is revoked: ${what} is over for this cycle.`)
    : refuse('state', `Only an approved application has a production life: ${whereItStands(s)}.`);

/**
 * An audit still under way: scheduled, or awaiting its remediation. Revoked access ends it
 * (cancelled, its open items closed), so nothing is left to remind or record in that cycle.
 */
export const AUDITS_IN_FLIGHT = ['scheduled', 'remediation'] as const satisfies readonly AuditStatus[];

export function lateStateAllows(s: WorkflowState, type: LateCommandType): Refusal | undefined {
  const where = whereItStands(s);
  switch (type) {
    case 'schedule_review':
      if (!inStage3(s) || s.status === 'waiting_on_developer')
        return refuse('state', `The architecture review is scheduled in Stage 3: ${where}.`);
      return scheduled(s) ? refuse('state', 'A meeting is already scheduled; reschedule it instead.') : undefined;
    case 'reschedule_review':
    case 'cancel_review':
      return inStage3(s) && scheduled(s) ? undefined : refuse('state', 'No architecture review meeting is scheduled.');
    case 'record_outcome':
      if (!inStage3(s) || s.status !== 'in_review')
        return refuse('state', `The outcome is recorded in Stage 3 while in review: ${where}.`);
      return s.meeting && s.meeting.status !== 'cancelled'
        ? undefined
        : refuse('state', 'Schedule the architecture review first.');
    case 'mark_answered':
      return inStage3(s) && s.openQuestions.length > 0 ? undefined : refuse('state', 'No clarification question is open.');
    case 'record_go_live':
      return hasProductionLife(s) && !revoked(s) ? undefined : noLife(s, 'its production life');
    case 'record_restricted_call':
      if (!hasProductionLife(s) || revoked(s)) return noLife(s, 'its production life');
      return accessOf(s) === 'suspended'
        ? refuse('state', 'Access is suspended: no restricted call can succeed until an admin reinstates it.')
        : undefined;
    case 'schedule_audit':
      if (!hasProductionLife(s) || revoked(s)) return noLife(s, 'auditing');
      if (!s.productionSince)
        return refuse('guard', 'Record the production go-live first: an audit may come 90+ days into production.');
      // A scheduled audit may move; one with an outcome may be followed by a new one, once its remediation is done.
      return s.audit?.status === 'remediation'
        ? refuse('state', 'The last audit asked for remediation: close its items before another audit.')
        : undefined;
    case 'record_audit_outcome':
      if (revoked(s)) return noLife(s, 'auditing');
      return hasProductionLife(s) && s.audit?.status === 'scheduled' ? undefined : refuse('state', 'No audit is scheduled.');
    case 'close_remediation':
      if (revoked(s)) return noLife(s, 'auditing');
      return hasProductionLife(s) && s.audit?.status === 'remediation' && s.openRemediation.length > 0
        ? undefined
        : refuse('state', 'No remediation item is open.');
    case 'suspend_access':
      if (!hasProductionLife(s)) return noLife(s, 'access');
      return accessOf(s) === 'active' || accessOf(s) === 'at_risk'
        ? undefined
        : refuse('state', `Access is ${accessOf(s).replace('_', ' ')}: only active or at-risk access can be suspended.`);
    case 'reinstate_access':
      return hasProductionLife(s) && accessOf(s) === 'suspended'
        ? undefined
        : refuse('state', 'Only suspended access can be reinstated.');
    case 'revoke_access':
      if (!hasProductionLife(s)) return noLife(s, 'access');
      return revoked(s) ? refuse('state', 'Access is already revoked.') : undefined;
    case 'deny_architecture':
      return inStage3(s) ? undefined : refuse('state', `This denial is for Stage 3: ${where}.`);
  }
}

/** Midnight UTC of a day: date pickers give days, and a go-live on the day of approval is true. */
const shown = (d: Date) => d.toISOString().slice(0, 10);
/**
 * A time in a refusal, which a form shows as plain text (no Slack date token renders there): in
 * the zone of the person deciding when Slack told it, else in UTC, saying which.
 */
const SHOWN_TIME = {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
} as const;
function shownTime(d: Date, timeZone: string | undefined): string {
  if (!timeZone) return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone, ...SHOWN_TIME }).format(d).replace(/\u202f/g, ' ');
  } catch {
    return shownTime(d, undefined);
  }
}

/** Approval with clarification questions open: how many, and the way forward. */
function openQuestionsRefusal(count: number): string {
  const one = count === 1;
  return `${count} clarification question${one ? ' is' : 's are'} still open. Once the developer has answered, tick ${one ? 'it' : 'them'} off with “Mark questions answered” on the card, then record the outcome.`;
}

/**
 * The go-live rule, wherever the date comes from (Record go-live, or intake's `productionSince`):
 * not in the future, and not before the day of the approval, when restricted access starts.
 * `field` names the input at fault in the caller's form.
 */
export function goLiveRefusal(
  productionSince: Date,
  approvedAt: Date | null | undefined,
  now: Date,
  field: string,
): Refusal | undefined {
  // A calendar day, as the reviewer's datepicker shows it: today somewhere is not the future, and
  // the approval's day anywhere is not before it.
  if (startOfDayUtc(productionSince) > latestToday(now)) return refuse('guard', 'Go-live cannot be in the future.', field);
  if (approvedAt && startOfDayUtc(productionSince) < earliestDayOf(approvedAt))
    return refuse('guard', `Go-live cannot be before the approval (${shown(approvedAt)}): restricted access starts then.`, field);
  return undefined;
}

function timeRefusal(
  command: Extract<Command, { type: 'schedule_review' | 'reschedule_review' }>,
  env: RuleEnv,
): Refusal | undefined {
  if (!env.rolesOf(command.architectId).has('architect')) {
    return refuse('guard', 'Choose a solution architect: this person does not hold that role.', 'architect');
  }
  if (!Number.isInteger(command.durationMinutes) || command.durationMinutes < 15 || command.durationMinutes > 240) {
    return refuse('guard', 'A meeting lasts 15 to 240 minutes.', 'duration');
  }
  const problem = meetingTimeProblem(command.startsAt, command.durationMinutes, env.now, env.architectTimeZone);
  if (problem && (problem.kind === 'error' || !command.outsideHoursConfirmed))
    return refuse('guard', problem.message, 'starts_at');
  return undefined;
}

/**
 * Among architects, only the application's own records its review outcome; checked before the
 * state, like any role, and when the modal opens (it needs only the command's type).
 */
export function ownArchitectOnly(
  s: WorkflowState,
  command: { type: CommandType },
  actor: { id: string; roles: ReadonlySet<Role> },
): Refusal | undefined {
  // A reviewer may record a developer's reply in Stage 3 too; among architects, only this one.
  const ownOnly =
    command.type === 'record_outcome' ||
    command.type === 'deny_architecture' ||
    (command.type === 'developer_replied' && s.stage === 'architecture' && !actor.roles.has('reviewer'));
  if (!ownOnly || actor.roles.has('admin') || s.architectId === actor.id) return undefined;
  const what =
    command.type === 'record_outcome'
      ? 'record the outcome'
      : command.type === 'deny_architecture'
        ? 'deny at Stage 3'
        : "record the developer's reply in Stage 3";
  return refuse(
    'role',
    `Only the application's solution architect${s.architectId ? ` (<@${s.architectId}>)` : ''} or an admin can ${what}.`,
  );
}

export function decideLate(
  s: WorkflowState,
  command: Extract<Command, { type: LateCommandType }>,
  _actor: { id: string; roles: ReadonlySet<Role> },
  env: RuleEnv,
): Outcome | Refusal {
  const stay: Outcome = { ok: true, next: { stage: s.stage, status: s.status } };
  switch (command.type) {
    case 'schedule_review':
    case 'reschedule_review':
      return timeRefusal(command, env) ?? { ...stay, next: { stage: 'architecture', status: 'in_review' } };
    case 'cancel_review':
      if (!command.reason.trim()) return refuse('guard', 'Say why it is cancelled.', 'reason');
      return { ...stay, next: { stage: 'architecture', status: 'new' } };
    case 'record_outcome': {
      const startsAt = s.meeting?.startsAt;
      if (startsAt && startsAt.getTime() > env.now.getTime() && !command.heldEarly)
        return refuse(
          'guard',
          // How long until it starts, not a clock time: a form's error is plain text, shown alike in every zone.
          `The meeting starts in ${formatDistanceStrict(startsAt, env.now)}: an outcome cannot come before it. If it was held early, tick the box below.`,
          'outcome',
        );
      if (command.outcome === 'clarification') {
        if (command.questions.filter((q) => q.trim()).length === 0)
          return refuse('guard', 'List at least one open question.', 'questions');
        return { ...stay, next: { stage: 'architecture', status: 'waiting_on_developer' } };
      }
      if (s.openGaps.length > 0) return refuse('guard', `${s.openGaps.length} gap(s) are still open.`, 'outcome');
      if (s.openQuestions.length > 0) return refuse('guard', openQuestionsRefusal(s.openQuestions.length), 'outcome');
      return { ...stay, next: { stage: 'approved', status: 'approved' } };
    }
    case 'mark_answered': {
      const open = new Set(s.openQuestions);
      if (command.questionIds.length === 0) return refuse('guard', 'Tick the questions that were answered.', 'questions');
      if (command.questionIds.some((id) => !open.has(id)))
        return refuse('guard', 'Only open questions can be marked answered.', 'questions');
      const allAnswered = new Set(command.questionIds).size === open.size;
      return allAnswered && s.status === 'waiting_on_developer'
        ? { ...stay, next: { stage: 'architecture', status: 'in_review' } }
        : stay;
    }
    case 'record_go_live':
      return goLiveRefusal(command.productionSince, s.approvedAt, env.now, 'production_since') ?? stay;
    case 'record_restricted_call':
      if (command.at.getTime() > env.now.getTime()) return refuse('guard', 'The call cannot be in the future.', 'at');
      // Pickers give minutes: a call in the minute of the approval is true.
      if (s.approvedAt && command.at.getTime() < Math.floor(s.approvedAt.getTime() / 60_000) * 60_000)
        return refuse(
          'guard',
          `The call cannot be before the approval (${shownTime(s.approvedAt, env.actorTimeZone)}): there was no restricted access yet.`,
          'at',
        );
      return command.operation.trim() ? stay : refuse('guard', 'Name the operation called.', 'operation');
    case 'schedule_audit':
      if (!command.auditor.trim()) return refuse('guard', 'Name the auditor.', 'auditor');
      if (s.productionSince && command.scheduledFor.getTime() < s.productionSince.getTime()) {
        return refuse('guard', 'The audit reviews the implementation in production: date it after the go-live.', 'scheduled_for');
      }
      return stay;
    case 'suspend_access':
      if (command.reason === 'other' && !command.note.trim())
        return refuse('guard', 'Say why access is suspended (the reason is Other).', 'note');
      return stay;
    case 'reinstate_access':
      return stay;
    case 'revoke_access':
      if (!command.note.trim()) return refuse('guard', 'Say why access is revoked: it is final for this cycle.', 'note');
      // The cycle's production life is over, and with it a role review under way: its roles are not granted.
      return { ...stay, next: s.roleReview ? ROLE_REVIEW_END : stay.next };
    case 'record_audit_outcome':
      if (s.audit?.scheduledFor && env.now < dayBegunSomewhere(s.audit.scheduledFor))
        return refuse(
          'guard',
          `The audit is dated ${shown(s.audit.scheduledFor)}: its outcome cannot come before. Reschedule it if it moved.`,
          'outcome',
        );
      if (command.outcome === 'remediation' && command.items.filter((i) => i.text.trim()).length === 0) {
        return refuse('guard', 'List at least one remediation item.', 'items');
      }
      return stay;
    case 'close_remediation':
      return s.openRemediation.includes(command.itemId) ? stay : refuse('guard', 'That item is not open.', 'item');
    case 'deny_architecture':
      // In a role review, a denial denies the added roles only: the application stays approved.
      return (
        denialRefusal(command) ?? { ...stay, next: s.roleReview ? ROLE_REVIEW_END : { stage: 'closed', status: 'rejected' } }
      );
  }
}
