import { BUSINESS_CRITERIA } from './controls.ts';
import { CYCLE_ROLES, cycleStateAllows, decideCycle, isCycleCommand, nextInRoleReview, ROLE_REVIEW_END } from './cycles.ts';
import { denialRefusal } from './denial.ts';
import { decideLate, isLate, isLateCommand, LATE_ROLES, lateStateAllows, ownArchitectOnly } from './late.ts';
import { ROLE_LABELS, type Role } from './roles.ts';
import type { Stage } from './states.ts';
import { PUBLIC_TRACK } from './tracks.ts';
import {
  type Command,
  type CommandType,
  type Outcome,
  type Refusal,
  type RuleEnv,
  refuse,
  type WorkflowState,
  whereItStands,
} from './types.ts';

export type {
  AnswerReview,
  Command,
  CommandType,
  CriterionResult,
  Denial,
  Outcome,
  Refusal,
  RuleEnv,
  WorkflowState,
} from './types.ts';

/** Who may do what. Admins may do everything; anyone else is refused with the role named. */
export const ALLOWED_ROLES: Record<CommandType, readonly Role[]> = {
  claim: ['reviewer', 'admin'],
  assign: ['admin'],
  business_review: ['reviewer', 'admin'],
  reopen: ['admin'],
  withdraw: ['admin'],
  record_gap: ['reviewer', 'admin'],
  resolve_gap: ['reviewer', 'admin'],
  request_information: ['reviewer', 'admin'],
  send_questionnaire: ['reviewer', 'admin'],
  record_answers: ['reviewer', 'admin'],
  review_answers: ['reviewer', 'admin'],
  pass_security: ['reviewer', 'admin'],
  // Architects only in Stage 3, checked in decide: a reply to their clarification questions.
  developer_replied: ['reviewer', 'architect', 'admin'],
  deny_security: ['reviewer', 'admin'],
  skip_questionnaire: ['reviewer', 'admin'],
  ...LATE_ROLES,
  ...CYCLE_ROLES,
};

const isOpen = (s: WorkflowState) => s.status !== 'approved' && s.status !== 'rejected' && s.status !== 'withdrawn';
const inStage1 = (s: WorkflowState) => s.stage === 'business' && (s.status === 'new' || s.status === 'in_review');
const inStage2 = (s: WorkflowState) =>
  s.stage === 'security' && (s.status === 'in_review' || s.status === 'waiting_on_developer');
const stage2InReview = (s: WorkflowState) => s.stage === 'security' && s.status === 'in_review';

export function pendingAnswers(s: WorkflowState): string[] {
  return s.answers.filter((a) => a.review === 'pending').map((a) => a.questionId);
}

/** Answers judged a gap, which a reviewer may accept once satisfied (re-judged). */
export function gapAnswers(s: WorkflowState): string[] {
  return s.answers.filter((a) => a.review === 'gap').map((a) => a.questionId);
}

export const trackOf = (s: WorkflowState) => s.track ?? PUBLIC_TRACK;

const HTTP_URL = /^https?:\/\/[^\s/$.?#][^\s]*$/i;
/** Evidence links are followed by reviewers: only a well-formed http(s) URL is kept. */
export const isEvidenceUrl = (url: string) => HTTP_URL.test(url) && URL.canParse(url);

/** Question ids of the version sent that are not yet accepted. */
export function unacceptedQuestions(s: WorkflowState): string[] {
  if (!s.questionnaire) return [];
  const accepted = new Set(s.answers.filter((a) => a.review === 'accepted').map((a) => a.questionId));
  return s.questionnaire.questionIds.filter((id) => !accepted.has(id));
}

/**
 * Whether the state allows a kind of command at all (the card shows exactly these
 * buttons). Returns the reason when it does not.
 */
export function stateAllows(s: WorkflowState, type: CommandType): Refusal | undefined {
  if (isLate(type)) return lateStateAllows(s, type);
  if (isCycleCommand(type)) return cycleStateAllows(s, type);
  const where = whereItStands(s);
  switch (type) {
    case 'claim':
    case 'assign':
      return isOpen(s) ? undefined : refuse('state', `Nobody can be assigned: ${where}.`);
    case 'withdraw':
      return isOpen(s) ? undefined : refuse('state', `It cannot be withdrawn: ${where}.`);
    case 'business_review':
      return inStage1(s) ? undefined : refuse('state', `The business review is over: ${where}.`);
    case 'reopen':
      if (s.status !== 'rejected') return refuse('state', `Only a rejected application can be reopened: ${where}.`);
      // The review would go on without what it judges, and nothing would delete what it records next.
      return s.purged
        ? refuse(
            'state',
            'Its submission was deleted under the retention policy: it is reviewed again when the developer sends it again (a new cycle).',
          )
        : undefined;
    case 'record_gap':
    case 'resolve_gap':
      if (!inStage2(s)) return refuse('state', `Security gaps are handled in Stage 2: ${where}.`);
      if (type === 'resolve_gap' && s.openGaps.length === 0) return refuse('state', 'There is no open gap to resolve.');
      return undefined;
    case 'request_information':
      return stage2InReview(s)
        ? undefined
        : refuse('state', `Information can be requested in Stage 2 while in review: ${where}.`);
    case 'send_questionnaire':
      if (!stage2InReview(s)) return refuse('state', `The questionnaire is sent in Stage 2 while in review: ${where}.`);
      if (s.questionnaire) return refuse('state', `The questionnaire (version ${s.questionnaire.version}) was already sent.`);
      if (s.questionnaireSkipped) return refuse('state', 'The questionnaire was skipped for this application.');
      if (s.openGaps.length > 0)
        return refuse('guard', `Resolve the ${s.openGaps.length} open gap(s) before sending the questionnaire.`);
      return undefined;
    case 'record_answers':
      if (!inStage2(s)) return refuse('state', `Answers are recorded in Stage 2: ${where}.`);
      return s.questionnaire ? undefined : refuse('state', 'The questionnaire has not been sent yet.');
    case 'review_answers':
      if (!stage2InReview(s)) return refuse('state', `Answers are reviewed in Stage 2 while in review: ${where}.`);
      return pendingAnswers(s).length + gapAnswers(s).length > 0
        ? undefined
        : refuse('state', 'No answer waits for review or has a gap verdict.');
    case 'developer_replied':
      return (s.stage === 'security' || s.stage === 'architecture') && s.status === 'waiting_on_developer'
        ? undefined
        : refuse('state', `A reply is recorded while the application waits on the developer in Stage 2 or 3: ${where}.`);
    case 'deny_security':
      return inStage2(s) ? undefined : refuse('state', `This denial is for Stage 2: ${where}.`);
    case 'skip_questionnaire':
      if (!stage2InReview(s)) return refuse('state', `The questionnaire is skipped in Stage 2 while in review: ${where}.`);
      if (trackOf(s).questionnaire !== 'optional')
        return refuse('state', `The ${trackOf(s).name} track requires the security questionnaire.`);
      if (s.questionnaire) return refuse('state', `The questionnaire (version ${s.questionnaire.version}) was already sent.`);
      if (s.questionnaireSkipped) return refuse('state', 'The questionnaire was already skipped.');
      if (s.openGaps.length > 0)
        return refuse('guard', `Resolve the ${s.openGaps.length} open gap(s) before skipping the questionnaire.`);
      return undefined;
    case 'pass_security': {
      if (!stage2InReview(s)) return refuse('state', `Stage 2 can be passed only while in review: ${where}.`);
      // A skip counts only while the track still lets the questionnaire be skipped (a resubmission
      // may have made the developer public, or an admin made the questionnaire required).
      if (!s.questionnaire && s.questionnaireSkipped && trackOf(s).questionnaire === 'optional') {
        return s.openGaps.length > 0 ? refuse('guard', `${s.openGaps.length} gap(s) are still open.`) : undefined;
      }
      if (!s.questionnaire)
        return refuse(
          'guard',
          trackOf(s).questionnaire === 'optional'
            ? 'Send the security questionnaire first, or skip it (private track) with a reason.'
            : 'Send the security questionnaire first.',
        );
      if (s.openGaps.length > 0) return refuse('guard', `${s.openGaps.length} gap(s) are still open.`);
      const missing = unacceptedQuestions(s);
      if (missing.length > 0)
        return refuse('guard', `${missing.length} question(s) are not accepted yet: ${missing.join(', ')}.`);
      return undefined;
    }
  }
}

/** Whom to ask for what, in product words (a refused person may not know the settings): the role the command needs. */
export function askForRole(role: Role): string {
  return `Ask an admin to give you the ${ROLE_LABELS[role]} role.`;
}

export function roleAllows(roles: ReadonlySet<Role>, type: CommandType): Refusal | undefined {
  const allowed = ALLOWED_ROLES[type];
  if (allowed.some((r) => roles.has(r))) return undefined;
  const article = (word: string) => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);
  const names = allowed.filter((r) => r !== 'integration').map((r) => article(ROLE_LABELS[r]));
  return refuse(
    'role',
    `Only ${names.join(' or ')} can do this. ${askForRole(allowed.find((r) => r !== 'admin' && r !== 'integration') ?? 'admin')}`,
  );
}

/**
 * Roles that depend on the stage: an architect records a developer's reply only to their
 * Stage 3 questions; in Stage 2 it is a reviewer's. Checked when the modal opens, too.
 */
export function stageRoleAllows(s: WorkflowState, type: CommandType, roles: ReadonlySet<Role>): Refusal | undefined {
  if (type === 'developer_replied' && s.stage === 'security' && !roles.has('reviewer') && !roles.has('admin'))
    return refuse('role', `Only a reviewer or an admin records a reply in Stage 2. ${askForRole('reviewer')}`);
  return undefined;
}

/**
 * Everything that refuses a command before its details are known: the role, the application's
 * own architect, the stage's role, the state. A modal opens only when none does, so nobody fills
 * in a form that the decision refuses for who they are or where the application stands.
 */
export function openRefusal(
  s: WorkflowState,
  type: CommandType,
  actor: { id: string; roles: ReadonlySet<Role> },
): Refusal | undefined {
  return (
    roleAllows(actor.roles, type) ??
    ownArchitectOnly(s, { type }, actor) ??
    stageRoleAllows(s, type, actor.roles) ??
    stateAllows(s, type)
  );
}

/** Where a reopened application goes: back where the review ended, so a Stage 2 or 3 denial keeps the stages already passed. */
export function reopensAt(s: WorkflowState): Stage {
  return s.status === 'rejected' ? (s.rejectedAtStage ?? 'business') : 'business';
}

/** The commands the card offers now: every one the state allows. */
export function availableCommands(s: WorkflowState): CommandType[] {
  return (Object.keys(ALLOWED_ROLES) as CommandType[]).filter((type) => stateAllows(s, type) === undefined);
}

/**
 * The whole rule book: may this actor do this to an application in this state, and
 * where does it leave it. Pure; the use case applies the outcome in one transaction.
 */
export function decide(
  s: WorkflowState,
  command: Command,
  actor: { id: string; roles: ReadonlySet<Role> },
  env: RuleEnv = { now: new Date(0), rolesOf: () => new Set() },
): Outcome | Refusal {
  const denied = openRefusal(s, command.type, actor);
  if (denied) return denied;
  if (isLateCommand(command)) return decideLate(s, command, actor, env);
  if (command.type === 'fast_track' || command.type === 'ask_role_meeting') return decideCycle(s, command, actor);
  const stay: Outcome = { ok: true, next: { stage: s.stage, status: s.status } };
  switch (command.type) {
    case 'claim':
      if (s.assigneeId && s.assigneeId !== actor.id && !actor.roles.has('admin')) {
        return refuse('state', `<@${s.assigneeId}> has already claimed it; an admin can reassign it.`);
      }
      return {
        ...stay,
        next: { stage: s.stage, status: s.status === 'new' && s.stage === 'business' ? 'in_review' : s.status },
        assigneeId: actor.id,
      };
    case 'assign': {
      const roles = env.rolesOf(command.assigneeId);
      if (!roles.has('reviewer') && !roles.has('admin'))
        return refuse('guard', 'Choose a reviewer or an admin: this person holds neither role.', 'assignee');
      return { ...stay, assigneeId: command.assigneeId };
    }
    case 'business_review': {
      const applying = BUSINESS_CRITERIA.filter((c) => trackOf(s).criteria.includes(c.id));
      const failed = applying.filter((c) => command.criteria[c.id]?.pass === false);
      const unanswered = applying.filter((c) => command.criteria[c.id] === undefined);
      if (unanswered.length > 0) return refuse('guard', 'Choose pass or fail.', `criterion.${unanswered[0]?.id}`);
      if (command.decision === 'advance') {
        if (failed.length > 0)
          return refuse(
            'guard',
            `Advance needs every criterion to pass; failed: ${failed.map((c) => c.label).join(', ')}.`,
            'decision',
          );
        const next = s.roleReview
          ? nextInRoleReview(s, 'business')
          : { stage: 'security' as const, status: 'in_review' as const };
        return { ...stay, next, assigneeId: s.assigneeId ?? actor.id };
      }
      if (failed.length === 0) return refuse('guard', 'A rejection needs at least one failed criterion.', 'decision');
      if (!command.denialText?.trim()) return refuse('guard', 'Write the denial text sent to the developer.', 'denial_text');
      // In a role review only the added roles are denied: the application stays approved with its earlier roles.
      return { ...stay, next: s.roleReview ? ROLE_REVIEW_END : { stage: 'closed', status: 'rejected' } };
    }
    case 'reopen':
      if (!command.reason.trim()) return refuse('guard', 'Say why it is reopened.', 'reason');
      return { ...stay, next: { stage: reopensAt(s), status: 'in_review' } };
    case 'withdraw':
      if (!command.reason.trim()) return refuse('guard', 'Say why it is withdrawn.', 'reason');
      // Withdrawing a role review withdraws the added roles: the approved ones stay.
      return { ...stay, next: s.roleReview ? ROLE_REVIEW_END : { stage: 'closed', status: 'withdrawn' } };
    case 'record_gap':
      if (!command.description.trim()) return refuse('guard', 'Describe the gap.', 'description');
      return stay;
    case 'resolve_gap':
      if (!s.openGaps.some((g) => g.id === command.gapId)) return refuse('guard', 'That gap is not open.', 'gap');
      if (!command.resolution.trim()) return refuse('guard', 'Say how the gap was resolved.', 'resolution');
      return stay;
    case 'request_information':
      if (!command.message.trim()) return refuse('guard', 'Write the message to the developer.', 'message');
      return { ...stay, next: { stage: 'security', status: 'waiting_on_developer' } };
    case 'send_questionnaire':
      return { ...stay, next: { stage: 'security', status: 'waiting_on_developer' } };
    case 'record_answers': {
      const known = new Set(s.questionnaire?.questionIds ?? []);
      const unknown = command.answers.find((a) => !known.has(a.questionId));
      if (unknown) return refuse('guard', `${unknown.questionId} is not a question of version ${s.questionnaire?.version}.`);
      if (!command.answers.some((a) => a.answer.trim())) return refuse('guard', 'Paste at least one answer.');
      return { ...stay, next: { stage: 'security', status: 'in_review' } };
    }
    case 'review_answers': {
      const pending = new Set(pendingAnswers(s));
      const judgedGap = new Set(gapAnswers(s));
      const stray = command.reviews.find((r) => !pending.has(r.questionId) && !judgedGap.has(r.questionId));
      if (stray) return refuse('guard', `${stray.questionId} does not wait for review.`);
      const regap = command.reviews.find((r) => judgedGap.has(r.questionId) && r.verdict !== 'accept');
      if (regap)
        return refuse(
          'guard',
          `${regap.questionId} already raised a gap: accept it, or leave it.`,
          `verdict.${regap.questionId}`,
        );
      if (command.reviews.length === 0) return refuse('guard', 'Review at least one answer.');
      if (new Set(command.reviews.map((r) => r.questionId)).size !== command.reviews.length) {
        return refuse('guard', 'Review each answer once.');
      }
      const vague = command.reviews.find((r) => r.verdict === 'gap' && !r.description.trim());
      if (vague) return refuse('guard', 'Describe the gap this answer leaves.', `note.${vague.questionId}`);
      return stay;
    }
    case 'pass_security':
      return { ...stay, next: s.roleReview ? nextInRoleReview(s, 'security') : { stage: 'architecture', status: 'new' } };
    case 'developer_replied': {
      if (!command.summary.trim()) return refuse('guard', 'Summarize the reply in a sentence or two.', 'summary');
      if (command.evidenceUrl && !isEvidenceUrl(command.evidenceUrl))
        return refuse('guard', 'Give a full link starting with https:// (or leave it empty).', 'evidence_url');
      const open = new Set(s.stage === 'security' ? s.openGaps.map((g) => g.id) : s.openQuestions);
      if (command.addresses.some((id) => !open.has(id)))
        return refuse('guard', `Choose among the open ${s.stage === 'security' ? 'gaps' : 'questions'}.`, 'addresses');
      return { ...stay, next: { stage: s.stage, status: 'in_review' } };
    }
    case 'deny_security':
      return (
        denialRefusal(command) ?? { ...stay, next: s.roleReview ? ROLE_REVIEW_END : { stage: 'closed', status: 'rejected' } }
      );
    case 'skip_questionnaire':
      if (!command.reason.trim()) return refuse('guard', 'Say why the questionnaire is not needed.', 'reason');
      return stay;
  }
}
