import type { AccessStatus, SuspensionReason } from './access.ts';
import type { ControlArea, CriterionId, Severity } from './controls.ts';
import type { Role } from './roles.ts';
import type { Stage, Status } from './states.ts';
import type { Track } from './tracks.ts';

/** What the rules need to know of an application: read in the use case's transaction. */
export type WorkflowState = {
  stage: Stage;
  status: Status;
  assigneeId: string | null;
  openGaps: readonly { id: number; area: string; severity: Severity }[];
  /** The questionnaire version sent and its question ids, if one was sent. */
  questionnaire: { version: string; questionIds: readonly string[] } | null;
  answers: readonly { questionId: string; review: AnswerReview }[];
  /** Stage 3: the application's solution architect and its meeting, if scheduled. */
  architectId: string | null;
  meeting: { status: 'scheduled' | 'held' | 'cancelled'; startsAt: Date } | null;
  openQuestions: readonly number[];
  /** After approval. */
  productionSince: Date | null;
  /** The latest audit (several may follow one another); `failed` prompts an admin to suspend access. */
  audit: { status: AuditStatus; scheduledFor?: Date } | null;
  openRemediation: readonly number[];
  /** When it was approved: nothing of its production life can be dated before. */
  approvedAt?: Date | null;
  /** Restricted access after approval (null before), apart from stage and status so a role review keeps it. */
  access?: AccessStatus | null;
  /** Where the last rejection ended the review (reopen returns there); absent means Stage 1. */
  rejectedAtStage?: Stage | null;
  /** Which criteria and steps apply (public when absent). */
  track?: Track;
  /** A reviewer skipped the questionnaire (private track only), with a recorded reason. */
  questionnaireSkipped?: boolean;
  /** The review cycle (absent means cycle 1): where the previous cycle ended, and whether this one was fast-tracked. */
  cycle?: { number: number; lastEndedAtStage: Stage | null; fastTracked: boolean };
  /** Set while restricted roles added to an approved application are under review: the stages it goes through. */
  roleReview?: { stages: readonly ('business' | 'security' | 'architecture')[] } | null;
  /** Its private data was deleted under the retention policy (until the developer sends it again). */
  purged?: boolean;
};

/** `cancelled`: still under way when access was revoked, which ended it (its open remediation items closed with it). */
export type AuditStatus = 'scheduled' | 'remediation' | 'passed' | 'failed' | 'cancelled';

export type AnswerReview = 'pending' | 'accepted' | 'gap';

export type CriterionResult = { pass: boolean; note?: string };

/** A denial after Stage 1: the general text sent to the developer, and a reason kept inside the team. */
export type Denial = {
  denialText: string;
  /** Never sent to the developer, never posted in the channel. */
  reason: { area?: ControlArea; note?: string };
};

/** In `review_answers`, an accept's `resolveGap` also resolves the open gap the answer raised (a re-judged gap verdict). */
export type Command =
  | { type: 'claim' }
  | { type: 'assign'; assigneeId: string }
  | {
      type: 'business_review';
      criteria: Record<CriterionId, CriterionResult>;
      decision: 'advance' | 'reject';
      denialText?: string;
    }
  | { type: 'reopen'; reason: string }
  | { type: 'withdraw'; reason: string }
  | { type: 'record_gap'; area: ControlArea; severity: Severity; description: string; securityAnswer?: number }
  | { type: 'resolve_gap'; gapId: number; resolution: string }
  | { type: 'request_information'; message: string }
  | { type: 'send_questionnaire'; version: string; questionIds: readonly string[] }
  | { type: 'record_answers'; answers: readonly { questionId: string; answer: string }[] }
  | {
      type: 'review_answers';
      reviews: readonly (
        | { questionId: string; verdict: 'accept'; resolveGap?: boolean }
        | { questionId: string; verdict: 'gap'; area: ControlArea; severity: Severity; description: string }
      )[];
    }
  | { type: 'pass_security' }
  | {
      type: 'developer_replied';
      summary: string;
      evidenceUrl?: string;
      /** Open gap ids (Stage 2) or open clarification question ids (Stage 3) the reply addresses. */
      addresses: readonly number[];
    }
  | ({ type: 'deny_security' } & Denial)
  | ({ type: 'deny_architecture' } & Denial)
  | { type: 'skip_questionnaire'; reason: string }
  | {
      type: 'schedule_review';
      architectId: string;
      startsAt: Date;
      durationMinutes: number;
      agenda: string;
      outsideHoursConfirmed: boolean;
    }
  | {
      type: 'reschedule_review';
      architectId: string;
      startsAt: Date;
      durationMinutes: number;
      agenda: string;
      outsideHoursConfirmed: boolean;
    }
  | { type: 'cancel_review'; reason: string }
  | { type: 'record_outcome'; outcome: 'approved'; heldEarly?: boolean }
  | { type: 'record_outcome'; outcome: 'clarification'; questions: readonly string[]; heldEarly?: boolean }
  | { type: 'mark_answered'; questionIds: readonly number[] }
  | { type: 'record_go_live'; productionSince: Date }
  | { type: 'record_restricted_call'; at: Date; operation: string }
  | { type: 'schedule_audit'; auditor: string; scheduledFor: Date }
  | { type: 'record_audit_outcome'; outcome: 'passed' | 'failed' }
  | { type: 'record_audit_outcome'; outcome: 'remediation'; items: readonly { text: string; dueOn: Date }[] }
  | { type: 'close_remediation'; itemId: number }
  | { type: 'fast_track'; reason: string }
  | { type: 'ask_role_meeting'; reason: string }
  | { type: 'suspend_access'; reason: SuspensionReason; note: string }
  | { type: 'reinstate_access'; note: string }
  | { type: 'revoke_access'; note: string };

export type CommandType = Command['type'];

/** What the rules may ask beyond the application: the time, and who holds which role. */
export type RuleEnv = {
  now: Date;
  rolesOf: (userId: string) => ReadonlySet<Role>;
  /** The IANA time zone of the architect being scheduled (from Slack's users.info). */
  architectTimeZone?: string;
  /** The IANA time zone of the person deciding (from Slack), for a time a refusal states in plain text. */
  actorTimeZone?: string;
};

export type Refusal = {
  ok: false;
  kind: 'role' | 'state' | 'guard';
  message: string;
  /** The input a modal should show the message under. */
  field?: string;
};

export type Outcome = {
  ok: true;
  next: { stage: Stage; status: Status };
  assigneeId?: string | null;
};

export const refuse = (kind: Refusal['kind'], message: string, field?: string): Refusal => ({
  ok: false,
  kind,
  message,
  ...(field ? { field } : {}),
});

/** Where an application stands, in the words refusals use ("the application is rejected"). */
export function whereItStands(s: { stage: Stage; status: Status }): string {
  return `the application is ${s.stage === 'closed' || s.stage === 'approved' ? s.status : `in ${s.stage} stage, ${s.status.replace(/_/g, ' ')}`}`;
}
